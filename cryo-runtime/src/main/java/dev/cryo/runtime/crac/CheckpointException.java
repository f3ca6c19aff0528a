package dev.cryo.runtime.crac;

/**
 * Thrown to {@code org.crac} when no checkpoint was taken; the reasons are suppressed exceptions,
 * which it keeps.
 */
public class CheckpointException extends Exception {
  private static final long serialVersionUID = 1L;

  public CheckpointException() {}

  public CheckpointException(String message) {
    super(message);
  }
}
