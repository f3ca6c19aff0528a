package dev.cryo.images;

/** No checkpoint has the id or name asked for. */
public class CheckpointNotFoundException extends ImageStoreException {
  public CheckpointNotFoundException(String reference) {
    super("no checkpoint named or with id '" + reference + "'; 'cryo list' shows those there are");
  }

  /** None in the repository at {@code location}, which {@code cryo list LOCATION} lists. */
  public CheckpointNotFoundException(String reference, String location) {
    super(
        "no checkpoint named or with id '"
            + reference
            + "' in "
            + location
            + "; 'cryo list "
            + location
            + "' shows those there are");
  }
}
