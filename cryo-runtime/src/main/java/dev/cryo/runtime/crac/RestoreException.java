package dev.cryo.runtime.crac;

/**
 * Thrown to {@code org.crac} when resources failed after a checkpoint; their errors are suppressed
 * exceptions.
 */
public class RestoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public RestoreException() {}

  public RestoreException(String message) {
    super(message);
  }
}
