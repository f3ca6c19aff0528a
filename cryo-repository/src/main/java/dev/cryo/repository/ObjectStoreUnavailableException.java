package dev.cryo.repository;

/** The object store did not answer, or answered with a failure that may pass: worth retrying. */
public class ObjectStoreUnavailableException extends ObjectStoreException {
  public ObjectStoreUnavailableException(String message) {
    super(message);
  }

  public ObjectStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
