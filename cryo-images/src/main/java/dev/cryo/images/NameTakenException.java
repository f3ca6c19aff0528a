package dev.cryo.images;

/** A checkpoint name must be unique within a store. */
public class NameTakenException extends ImageStoreException {
  public NameTakenException(String name, String existingId) {
    super(
        "a checkpoint named '"
            + name
            + "' already exists ("
            + existingId
            + "); choose another name or delete that one first");
  }
}
