package dev.cryo.supervisor;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.util.Optional;

/**
 * Makes the supervisor the parent of the programs it restores, and collects their exit status.
 * CRIU's restored trees lose their parent when CRIU exits; as a child subreaper the supervisor
 * inherits them instead of the host's PID 1, which may never reap them.
 */
final class ChildReaper {
  private static final int PR_SET_CHILD_SUBREAPER = 36;
  private static final int WNOHANG = 1;

  private interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;
  }

  private ChildReaper() {
  }

  /** Adopts orphaned descendants from now on. Returns false if the kernel refused. */
  static boolean becomeSubreaper() {
    try {
      return C.INSTANCE.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return false;
    }
  }

  /**
   * Reaps {@code pid} if it is a child of this process that has ended, and returns how it ended;
   * empty if it still runs or is not this process's child.
   */
  static Optional<ExitStatus> reap(int pid) {
    if (pid <= 0) {
      return Optional.empty(); // 0 and -1 would reap any child, the JDK's own included
    }
    IntByReference status = new IntByReference();
    try {
      int reaped = C.INSTANCE.waitpid(pid, status, WNOHANG);
      return reaped == pid ? Optional.of(ExitStatus.fromWaitStatus(status.getValue())) : Optional.empty();
    } catch (LastErrorException e) {
      return Optional.empty();
    }
  }
}
