package dev.cryo.repository;

/** There is no object of the key asked for. */
public class ObjectNotFoundException extends ObjectStoreException {
  public ObjectNotFoundException(String message) {
    super(message);
  }

  public ObjectNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
