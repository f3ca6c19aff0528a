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
  FAILED,
  /**
   * Ended for good because its ownership fence expired: the node that placed it could not renew its
   * ownership in time, and another host may run the program now ({@link OwnershipFence}).
   */
  FENCED;

  /** Whether the run is over: no supervisor should watch it any more. */
  public boolean isFinal() {
    return this == STOPPED || this == EXITED || this == FAILED || this == FENCED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
