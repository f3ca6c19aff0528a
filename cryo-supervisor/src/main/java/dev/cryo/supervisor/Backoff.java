package dev.cryo.supervisor;

import java.time.Duration;

/**
 * How long to wait before bringing a program back after it ended again before any checkpoint of it
 * succeeded since it last came back, and before it had run for {@link #HEALTHY_RUN}: nothing the
 * first time, then 1 s, doubling up to 30 s. A crash loop then costs little, and a program that
 * crashes once in a while is back at once.
 */
public final class Backoff {
  /** A program that ran this long since it came back was not crashing in a loop. */
  public static final Duration HEALTHY_RUN = Duration.ofMinutes(10);

  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(30);

  private Backoff() {}

  /** The delay before attempt {@code streak} of a run of quick endings (1 for the first). */
  public static Duration delay(int streak) {
    if (streak <= 1) {
      return Duration.ZERO;
    }
    int doublings = Math.min(streak - 2, 10);
    Duration delay = FIRST.multipliedBy(1L << doublings);
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }
}
