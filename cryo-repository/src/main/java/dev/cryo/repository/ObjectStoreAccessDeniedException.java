package dev.cryo.repository;

/**
 * The object store refused the credentials, or they are missing: wrong keys, an expired session, a
 * policy that forbids the operation.
 */
public class ObjectStoreAccessDeniedException extends ObjectStoreException {
  public ObjectStoreAccessDeniedException(String message) {
    super(message);
  }

  public ObjectStoreAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
