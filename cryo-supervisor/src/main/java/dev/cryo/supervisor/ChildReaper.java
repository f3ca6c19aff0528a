package dev.cryo.supervisor;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the supervisor the parent of the programs it restores, and collects their exit status.
 * CRIU's restored trees lose their parent when CRIU exits; as a child subreaper the supervisor
 * inherits them instead of the host's PID 1, which may never reap them.
 */
final class ChildReaper {
  private static final int PR_SET_CHILD_SUBREAPER = 36;
  private static final int WNOHANG = 1;

  /** pidfd_open(2), numbered alike on every architecture (Linux 5.3 and later). */
  private static final long SYS_PIDFD_OPEN = 434;

  private static final short POLLIN = 1;

  private interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    long syscall(long number, Object... args) throws LastErrorException;

    int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private ChildReaper() {}

  /** Adopts orphaned descendants from now on. Returns false if the kernel refused. */
  static boolean becomeSubreaper() {
    try {
      return C.INSTANCE.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return false;
    }
  }

  /**
   * Waits until {@code pid} ends or {@code timeout} has passed, whichever comes first: a supervisor
   * that blocks here rather than sleeping notices a death at once. Works for any process, child or
   * not (a pidfd becomes readable when its process exits); where pidfds are not available it just
   * waits out the timeout.
   */
  static void awaitExit(int pid, Duration timeout) {
    int fd = -1;
    try {
      fd = (int) C.INSTANCE.syscall(SYS_PIDFD_OPEN, (long) pid, 0L);
      try (Memory pollfd = new Memory(8)) {
        pollfd.setInt(0, fd);
        pollfd.setShort(4, POLLIN);
        pollfd.setShort(6, (short) 0);
        C.INSTANCE.poll(pollfd, 1, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      }
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      // No such process (ESRCH, or a PID out of range): nothing to wait for. Otherwise no pidfds
      // here.
      if (ProcessHandle.of(pid).isPresent()) {
        LockSupport.parkNanos(timeout.toNanos());
      }
    } finally {
      if (fd >= 0) {
        try {
          C.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
          // Nothing to do about a descriptor that will not close.
        }
      }
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
      return reaped == pid
          ? Optional.of(ExitStatus.fromWaitStatus(status.getValue()))
          : Optional.empty();
    } catch (LastErrorException e) {
      return Optional.empty();
    }
  }
}
