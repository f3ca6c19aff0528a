package dev.cryo.criu;

import com.sun.jna.LastErrorException;
import java.util.List;

/**
 * Continues the processes that a restore with {@link CriuOptions.Builder#leaveStopped} left
 * stopped. The JDK can kill a process but not continue one, and a process started to send the
 * signal would cost more than the rest of a resume.
 */
public final class StoppedProcesses {
  private static final int SIGCONT = 18;
  private static final int ESRCH = 3;

  private StoppedProcesses() {}

  /**
   * Sends SIGCONT to each process, parents first so that none waits on a stopped one. A process
   * that has ended meanwhile is skipped.
   */
  public static void continueAll(List<Integer> pids) {
    for (int pid : pids) {
      try {
        LibC.INSTANCE.kill(pid, SIGCONT);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != ESRCH) {
          throw new IllegalStateException(
              "cannot continue PID " + pid + ": errno " + e.getErrorCode(), e);
        }
      }
    }
  }
}
