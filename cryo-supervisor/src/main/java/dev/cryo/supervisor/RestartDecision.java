package dev.cryo.supervisor;

import java.time.Duration;
import java.time.Instant;

/**
 * What follows the ending of a supervised program: whether its restart policy brings it back, after
 * how long ({@link Backoff}), and when the supervisor gives up. Decided apart from processes and
 * files, so that each rule can be tested alone; the supervisor carries the decision out and records
 * it as events.
 *
 * <p>The streak counts the endings and failed attempts in a row since the program last showed that
 * it can run: by a checkpoint that succeeded (the supervisor then sets the streak to 0), or by
 * running for {@link Backoff#HEALTHY_RUN}. The supervisor gives up once the streak exceeds the
 * run's maximum.
 */
final class RestartDecision {
  private final RestartPolicy policy;
  private final int maxRestarts;

  RestartDecision(RestartPolicy policy, int maxRestarts) {
    this.policy = policy;
    this.maxRestarts = maxRestarts;
  }

  static RestartDecision of(RunSpec spec) {
    return new RestartDecision(spec.restart(), spec.maxRestarts());
  }

  /** What the supervisor does next. */
  sealed interface Next permits NotBroughtBack, GiveUp, BringBack {}

  /** The restart policy lets the run end with its program. */
  record NotBroughtBack() implements Next {}

  /**
   * The program could not be kept running.
   *
   * @param failuresInARow how many times in a row it ended or could not be brought back
   */
  record GiveUp(int failuresInARow) implements Next {}

  /**
   * Bring the program back.
   *
   * @param streak this attempt's place in the streak, 1 for the first after a healthy run
   * @param delay how long to wait first
   */
  record BringBack(int streak, Duration delay) implements Next {}

  /**
   * After the program ended.
   *
   * @param streak the streak before this ending
   * @param since when the program was last started or brought back
   */
  Next afterEnding(ExitStatus status, int streak, Instant since, Instant now) {
    if (!policy.restartsAfter(status)) {
      return new NotBroughtBack();
    }
    boolean ranWell = Duration.between(since, now).compareTo(Backoff.HEALTHY_RUN) >= 0;
    return attempt(ranWell ? 1 : streak + 1);
  }

  /** After {@code failed} did not bring the program back, though there was something to try. */
  Next afterFailedAttempt(BringBack failed) {
    return attempt(failed.streak() + 1);
  }

  private Next attempt(int streak) {
    return streak > maxRestarts
        ? new GiveUp(streak - 1)
        : new BringBack(streak, Backoff.delay(streak));
  }
}
