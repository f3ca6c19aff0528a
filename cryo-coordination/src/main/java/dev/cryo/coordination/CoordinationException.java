package dev.cryo.coordination;

/** The protocol could not be carried through with a process: it did not answer, or answered nonsense. */
public class CoordinationException extends Exception {
  private static final long serialVersionUID = 1L;

  public CoordinationException(String message) {
    super(message);
  }

  public CoordinationException(String message, Throwable cause) {
    super(message, cause);
  }
}
