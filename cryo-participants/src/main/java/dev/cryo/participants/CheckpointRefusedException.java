package dev.cryo.participants;

/** A process answered {@code refused}: it cannot be checkpointed now, and said why. */
public class CheckpointRefusedException extends ParticipantException {
  private static final long serialVersionUID = 1L;
  private final int pid;
  private final String resource;
  private final String reason;

  public CheckpointRefusedException(int pid, String resource, String reason) {
    super("PID " + pid + " refused the checkpoint: " + reason);
    this.pid = pid;
    this.resource = resource;
    this.reason = reason;
  }

  public int pid() {
    return pid;
  }

  /** The resource that refused, when the process named one. */
  public String resource() {
    return resource;
  }

  public String reason() {
    return reason;
  }
}
