package dev.cryo.images;

/** No checkpoint has the id or name asked for. */
public class CheckpointNotFoundException extends ImageStoreException {
  public CheckpointNotFoundException(String reference) {
    super("no checkpoint named or with id '" + reference + "'; 'cryo list' shows those there are");
  }
}
