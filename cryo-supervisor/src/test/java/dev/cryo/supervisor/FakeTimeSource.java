package dev.cryo.supervisor;

import dev.cryo.checkpoint.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Time that moves only when the supervisor waits, at once, running on the way whatever a test
 * scheduled for the moments passed (a crash, a stop request).
 */
final class FakeTimeSource implements TimeSource {
  /** Beyond this, a supervisor under test has looped longer than any test means it to. */
  private static final Duration LIMIT = Duration.ofDays(1);

  private record Scheduled(Instant at, Runnable action) {}

  private final Instant start;
  private Instant now;
  private final List<Scheduled> scheduled = new ArrayList<>();

  FakeTimeSource(Instant start) {
    this.start = start;
    this.now = start;
  }

  /** Runs {@code action} once the supervisor has waited until {@code after} from the start. */
  void at(Duration after, Runnable action) {
    scheduled.add(new Scheduled(start.plus(after), action));
    scheduled.sort(Comparator.comparing(Scheduled::at));
  }

  /** How long has passed since the start. */
  Duration elapsed() {
    return Duration.between(start, now);
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public long nanoTime() {
    return Duration.between(Instant.EPOCH, now).toNanos();
  }

  @Override
  public void sleep(Duration duration) {
    now = now.plus(duration);
    if (elapsed().compareTo(LIMIT) > 0) {
      throw new IllegalStateException(
          "the supervisor still runs a day into the test: it should have ended");
    }
    while (!scheduled.isEmpty() && !scheduled.get(0).at().isAfter(now)) {
      scheduled.remove(0).action().run();
    }
  }
}
