package dev.cryo.criu;

/**
 * A {@link NotifyListener} refused to let CRIU go on at a hook; the cause of a {@link
 * CriuOperationException}.
 */
public class HookFailedException extends Exception {
  private final String hook;

  public HookFailedException(String hook, Throwable cause) {
    super("the " + hook + " hook failed: " + cause.getMessage(), cause);
    this.hook = hook;
  }

  /** CRIU's name of the hook that failed. */
  public String hook() {
    return hook;
  }
}
