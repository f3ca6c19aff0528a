package dev.cryo.supervisor;

import java.util.Locale;

/** Where a supervised program stands, as {@code cryo ps} shows it. */
public enum RunStatus {
  STARTING,
  RUNNING,
  CHECKPOINTING,
  RESTORING,
  WAITING,
  STOPPING,
  /** Stopped by {@code cryo stop}. */
  STOPPED,
  /** Ended and not brought back, as its restart policy says. */
  EXITED,
  /** Could not be brought back; the events say why. */
  FAILED;

  /** Whether the run is over: no supervisor should watch it any more. */
  public boolean isFinal() {
    return this == STOPPED || this == EXITED || this == FAILED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
