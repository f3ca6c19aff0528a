package dev.cryo.supervisor;

import java.time.Duration;
import java.time.Instant;

/**
 * The supervisor's time: what time it is, and waiting. Its decisions (when the next checkpoint
 * is due, how long to back off, whether a program ran long enough to count as healthy) read time
 * only from here, so that a test's ticker can move time on without anyone waiting.
 */
interface Ticker {
  /** The host's clock, and waits that really wait. */
  Ticker SYSTEM = new Ticker() {
    @Override
    public Instant now() {
      return Instant.now();
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

  Instant now();

  /** Waits for {@code duration}; returns early only if the thread is interrupted. */
  void sleep(Duration duration);
}
