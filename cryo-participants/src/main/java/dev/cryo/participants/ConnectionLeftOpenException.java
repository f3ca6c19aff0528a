package dev.cryo.participants;

/**
 * A process answered {@code ready} but did not close its control connection, so it cannot be
 * dumped. It did prepare, though: it must still be told that the checkpoint was aborted.
 */
public class ConnectionLeftOpenException extends ParticipantException {
  private static final long serialVersionUID = 1L;

  public ConnectionLeftOpenException(String message) {
    super(message);
  }
}
