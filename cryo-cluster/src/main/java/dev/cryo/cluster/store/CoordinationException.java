package dev.cryo.cluster.store;

/** The coordination store could not do what was asked. */
public class CoordinationException extends RuntimeException {
  public CoordinationException(String message, Throwable cause) {
    super(message, cause);
  }

  public CoordinationException(String message) {
    super(message);
  }
}
