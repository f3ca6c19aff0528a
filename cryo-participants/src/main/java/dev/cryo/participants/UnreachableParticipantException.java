package dev.cryo.participants;

/**
 * A process that takes part in checkpoints could not be talked to at all: its control socket did
 * not answer, or is held by someone who may not speak for it. Unlike a refusal, this says nothing
 * of the process's wishes, so a checkpoint that does not tell it may still be taken.
 */
public final class UnreachableParticipantException extends ParticipantException {
  private static final long serialVersionUID = 1L;

  public UnreachableParticipantException(String message) {
    super(message);
  }

  public UnreachableParticipantException(String message, Throwable cause) {
    super(message, cause);
  }
}
