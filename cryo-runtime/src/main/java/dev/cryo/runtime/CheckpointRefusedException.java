package dev.cryo.runtime;

/**
 * A checkpoint did not happen: a resource refused it, timed out, or the dump failed. The process
 * carries on as before; resources that had been notified were told {@link Resumption#ABORTED}. Each
 * resource's own failure is attached as a suppressed exception.
 */
public class CheckpointRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public CheckpointRefusedException(String message) {
    super(message);
  }

  public CheckpointRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
