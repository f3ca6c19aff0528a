package dev.cryo.checkpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as Cryo's operations read it: the date a checkpoint records, the durations they report, the
 * waits of a restore for PIDs to be freed, and a supervisor's schedule and back-off. Code that
 * decides by time reads it only from here, so that a test's time source can move time on without
 * anyone waiting.
 */
public interface TimeSource {
  /** The system's clock. */
  TimeSource SYSTEM =
      new TimeSource() {
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
