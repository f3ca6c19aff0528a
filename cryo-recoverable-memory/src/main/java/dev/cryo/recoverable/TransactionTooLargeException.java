package dev.cryo.recoverable;

/**
 * A transaction declared more than the region's undo log can hold. Nothing was changed by the
 * declaration that failed; the transaction is still open and may be aborted or committed with what
 * it declared before.
 */
public class TransactionTooLargeException extends RuntimeException {
  public TransactionTooLargeException(String message) {
    super(message);
  }
}
