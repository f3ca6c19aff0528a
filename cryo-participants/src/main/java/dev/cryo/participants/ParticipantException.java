package dev.cryo.participants;

/**
 * The protocol could not be carried through with a process: it did not answer, or answered
 * nonsense.
 */
public class ParticipantException extends Exception {
  private static final long serialVersionUID = 1L;

  public ParticipantException(String message) {
    super(message);
  }

  public ParticipantException(String message, Throwable cause) {
    super(message, cause);
  }
}
