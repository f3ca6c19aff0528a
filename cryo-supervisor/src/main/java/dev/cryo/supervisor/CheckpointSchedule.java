package dev.cryo.supervisor;

import java.time.Duration;
import java.time.Instant;

/**
 * When a run's next checkpoint is due. Normally {@code --every} after the previous one ended; after
 * a failed one, sooner: a checkpoint that failed because the program was busy at that moment
 * usually succeeds a moment later, and waiting a whole period would leave the program without a
 * fresh checkpoint exactly when it is busiest. The retries back off (1 s, 2 s, 4 s ...) up to
 * {@code --every}, so a failure that persists costs no more than the schedule itself.
 *
 * <p>Also says when a run's newest checkpoint is older than the schedule allows: {@code cryo ps}
 * marks it, since a failing checkpoint leaves the program running but less protected.
 */
public final class CheckpointSchedule {
  /**
   * The least time between the ends of two checkpoints whose program's new clients are held. A held
   * client's kernel sends its SYN again 1 s and then 3 s after the first; with the next hold at
   * least this long after the last one ended, that second retry is never held again, so no client
   * is held through two checkpoints (its retries back off to 7, 15, 31 s otherwise).
   */
  public static final Duration HOLD_SPACING = Duration.ofSeconds(3);

  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /**
   * Beyond two periods, time for a slow checkpoint: a checkpoint this much older than due is
   * overdue.
   */
  private static final Duration LATENESS_ALLOWED = Duration.ofSeconds(10);

  private CheckpointSchedule() {}

  /**
   * How long after a scheduled checkpoint the next one is due: {@code every} after one that
   * succeeded ({@code failuresInARow} 0), the {@link #retryDelay} after a failure, and for a
   * program whose new clients are held never sooner than {@link #HOLD_SPACING}.
   */
  public static Duration untilNext(int failuresInARow, Duration every, boolean clientsHeld) {
    return spaced(failuresInARow == 0 ? every : retryDelay(failuresInARow, every), clientsHeld);
  }

  /**
   * How long after the {@code failuresInARow}-th failure in a row (1 for the first) the next
   * attempt comes.
   */
  public static Duration retryDelay(int failuresInARow, Duration every) {
    int doublings = Math.min(Math.max(failuresInARow, 1) - 1, 20);
    Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
    return delay.compareTo(every) > 0 ? every : delay;
  }

  /**
   * How long after a checkpoint the next one may come, given the delay the schedule asks for: never
   * sooner than {@link #HOLD_SPACING} for a program whose new clients are held.
   */
  public static Duration spaced(Duration delay, boolean clientsHeld) {
    return clientsHeld && delay.compareTo(HOLD_SPACING) < 0 ? HOLD_SPACING : delay;
  }

  /**
   * Whether a running program whose protection dates from {@code since} (its newest checkpoint, or
   * its start if that is later) has gone without a checkpoint for longer than the schedule allows:
   * two periods and {@link #LATENESS_ALLOWED}.
   */
  public static boolean isOverdue(Duration every, Instant since, Instant now) {
    return Duration.between(since, now).compareTo(every.multipliedBy(2).plus(LATENESS_ALLOWED)) > 0;
  }
}
