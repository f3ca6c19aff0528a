package dev.cryo.criu;

/**
 * Called at each {@link NotifyHook} of a dump or restore, while CRIU waits. Throwing fails the
 * operation: CRIU rolls back (a dump resumes the process) and the client reports the exception as
 * the cause.
 */
@FunctionalInterface
public interface NotifyListener {
  NotifyListener NONE = (hook, scriptName, pid) -> {};

  /**
   * @param hook the stage CRIU reached
   * @param scriptName CRIU's own name for it, useful when {@code hook} is {@link NotifyHook#OTHER}
   * @param pid the root task's PID where CRIU reports one (restore hooks), otherwise 0
   */
  void onHook(NotifyHook hook, String scriptName, int pid) throws Exception;
}
