package dev.cryo.checkpoint;

/**
 * A restore needs its original PIDs back and another process holds one. Restoring anyway would fail
 * halfway; the checkpoint and the other process are both left alone.
 */
public class PidInUseException extends Exception {
  private final int pid;

  public PidInUseException(int pid, String message) {
    super(message);
    this.pid = pid;
  }

  public int pid() {
    return pid;
  }
}
