package dev.cryo.supervisor;

import java.time.Duration;
import java.time.Instant;

/**
 * Stops a supervised program: SIGTERM to the program, so that it can shut down cleanly, then after
 * a grace period SIGKILL to its namespace's init, which ends every process of the namespace. (The
 * init itself ignores SIGTERM from outside, as every namespace init without a handler does.)
 */
final class ProgramStopper {
  private ProgramStopper() {}

  static void stop(ProgramTree program, Duration grace) {
    if (!program.isAlive()) {
      return;
    }
    ProcessHandle.of(program.mainPid()).ifPresent(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(grace);
    while (program.isAlive() && Instant.now().isBefore(deadline)) {
      ChildReaper.reap(program.initPid());
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (program.isAlive()) {
      ProcessHandle.of(program.initPid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
