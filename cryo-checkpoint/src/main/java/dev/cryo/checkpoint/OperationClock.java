package dev.cryo.checkpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as checkpoint and restore read it: the date a checkpoint records, the durations they
 * report, and the short waits of a restore for PIDs to be freed. A test's clock lets those waits
 * pass at once.
 */
interface OperationClock {
  /** The system's clock. */
  OperationClock SYSTEM = new OperationClock() {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  };

  /** The date and time, for records. */
  Instant now();

  /** A monotonic reading in nanoseconds, for durations. */
  long nanoTime();

  /** Waits, or returns early if interrupted (with the thread's interrupt flag set again). */
  void sleep(Duration duration);
}
