package dev.cryo.runtime.control;

/** The {@code phase} values of the coordination protocol (docs/protocol.md). */
public final class Phase {
  public static final String PENDING = "pending";
  public static final String READY = "ready";
  public static final String REFUSED = "refused";
  public static final String RESUMED = "resumed";
  public static final String RESTORED = "restored";
  public static final String ABORTED = "aborted";
  public static final String DONE = "done";
  public static final String ERROR = "error";

  private Phase() {
  }
}
