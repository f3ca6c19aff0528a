package dev.cryo.store;

/**
 * The store could not make a commit durable (its log device failed). Commits from then on are
 * refused; reopening the store recovers the last durable state.
 */
public class StoreFailedException extends RuntimeException {
  public StoreFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
