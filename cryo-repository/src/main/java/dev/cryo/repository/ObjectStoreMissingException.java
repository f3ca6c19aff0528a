package dev.cryo.repository;

/** The bucket, or the directory, that should hold the objects does not exist. */
public class ObjectStoreMissingException extends ObjectStoreException {
  public ObjectStoreMissingException(String message) {
    super(message);
  }

  public ObjectStoreMissingException(String message, Throwable cause) {
    super(message, cause);
  }
}
