package dev.cryo.runtime;

/**
 * The checkpoint was taken and the process continues (restored or resumed), but one or more
 * resources failed in {@link CheckpointResource#afterRestore}; their exceptions are suppressed
 * here. The other resources were all notified.
 */
public class RestoreIncompleteException extends Exception {
  private static final long serialVersionUID = 1L;

  public RestoreIncompleteException(String message) {
    super(message);
  }
}
