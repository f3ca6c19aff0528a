package dev.cryo.recoverable;

/**
 * The region could not make a commit durable (its log device failed). Commits from then on are
 * refused; reopening the region recovers the last durable state.
 */
public class RecoverableMemoryFailedException extends RuntimeException {
  public RecoverableMemoryFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
