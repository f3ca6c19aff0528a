package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.supervisor.RestartDecision.BringBack;
import dev.cryo.supervisor.RestartDecision.GiveUp;
import dev.cryo.supervisor.RestartDecision.NotBroughtBack;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an ending is read, and what each restart policy and the back-off make of it. */
class RestartDecisionTest {
  private static final Instant BACK = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant SOON_AFTER = BACK.plusSeconds(5);
  private static final ExitStatus CRASH = ExitStatus.fromShell(137);

  @Test
  void aShellStatusAbove128IsASignalAndTheRestAreExitCodes() {
    assertThat(ExitStatus.fromShell(137)).isEqualTo(new ExitStatus(-1, 9));
    assertThat(ExitStatus.fromShell(137).describe()).isEqualTo("killed by signal 9 (SIGKILL)");
    assertThat(ExitStatus.fromShell(3).describe()).isEqualTo("exited with code 3");
    assertThat(ExitStatus.fromShell(0).isCleanExit()).isTrue();
    assertThat(ExitStatus.UNKNOWN.isKnown()).isFalse();
    assertThat(ExitStatus.UNKNOWN.describe()).contains("unknown");
  }

  @Test
  void aWaitStatusIsDecodedLikeWaitpidsMacros() {
    assertThat(ExitStatus.fromWaitStatus(9))
        .as("WIFSIGNALED, SIGKILL")
        .isEqualTo(new ExitStatus(-1, 9));
    assertThat(ExitStatus.fromWaitStatus(3 << 8))
        .as("WIFEXITED, 3")
        .isEqualTo(new ExitStatus(3, 0));
    assertThat(ExitStatus.fromWaitStatus(143 << 8))
        .as("a shell that reported SIGTERM")
        .isEqualTo(new ExitStatus(-1, 15));
  }

  @Test
  void onCrashRestoresAfterASignalOrAFailureButNotAfterACleanExit() {
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.fromShell(137))).isTrue();
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.fromShell(1))).isTrue();
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.UNKNOWN))
        .as("an unknown ending counts as a crash")
        .isTrue();
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.fromShell(0))).isFalse();
    assertThat(RestartPolicy.ALWAYS.restartsAfter(ExitStatus.fromShell(0))).isTrue();
    assertThat(RestartPolicy.NEVER.restartsAfter(ExitStatus.fromShell(137))).isFalse();
  }

  @Test
  void policiesAreWrittenAsOnTheCommandLine() {
    assertThat(RestartPolicy.parse("on-crash")).isEqualTo(RestartPolicy.ON_CRASH);
    assertThat(RestartPolicy.ON_CRASH.label()).isEqualTo("on-crash");
    assertThatThrownBy(() -> RestartPolicy.parse("sometimes"))
        .hasMessageContaining("on-crash, always or never");
  }

  @Test
  void theFirstAttemptIsImmediateThenTheDelayDoublesUpTo30Seconds() {
    assertThat(Backoff.delay(1)).isZero();
    assertThat(Backoff.delay(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delay(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Backoff.delay(7)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.delay(1000))
        .as("no overflow, however long the streak")
        .isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "{0}, after shell status {1}: brought back {2}")
  @CsvSource({"ON_CRASH, 137, true", "ON_CRASH, 0, false", "ALWAYS, 0, true", "NEVER, 137, false"})
  void eachPolicyDecidesWhetherAnEndingIsBroughtBack(
      RestartPolicy policy, int shellStatus, boolean broughtBack) {
    RestartDecision decision = new RestartDecision(policy, 5);

    assertThat(decision.afterEnding(ExitStatus.fromShell(shellStatus), 0, BACK, SOON_AFTER))
        .as("%s, after %s", policy, ExitStatus.fromShell(shellStatus).describe())
        .isEqualTo(broughtBack ? new BringBack(1, Duration.ZERO) : new NotBroughtBack());
  }

  @Test
  void eachFailedAttemptWaitsLongerUntilTheMaximumIsReachedThenTheSupervisorGivesUp() {
    RestartDecision decision = new RestartDecision(RestartPolicy.ON_CRASH, 4);

    RestartDecision.Next first = decision.afterEnding(CRASH, 0, BACK, SOON_AFTER);
    RestartDecision.Next second = decision.afterFailedAttempt((BringBack) first);
    RestartDecision.Next third = decision.afterFailedAttempt((BringBack) second);
    RestartDecision.Next fourth = decision.afterFailedAttempt((BringBack) third);
    RestartDecision.Next fifth = decision.afterFailedAttempt((BringBack) fourth);

    assertThat(first).as("the first attempt").isEqualTo(new BringBack(1, Duration.ZERO));
    assertThat(second)
        .as("after one failed attempt")
        .isEqualTo(new BringBack(2, Duration.ofSeconds(1)));
    assertThat(third).as("after two").isEqualTo(new BringBack(3, Duration.ofSeconds(2)));
    assertThat(fourth).as("after three").isEqualTo(new BringBack(4, Duration.ofSeconds(4)));
    assertThat(fifth).as("after four, with at most 4 in a row").isEqualTo(new GiveUp(4));
  }

  @Test
  void endingsSoonAfterEachComebackCarryTheStreakOn() {
    RestartDecision decision = new RestartDecision(RestartPolicy.ON_CRASH, 5);

    assertThat(decision.afterEnding(CRASH, 2, BACK, SOON_AFTER))
        .as("the third quick ending in a row")
        .isEqualTo(new BringBack(3, Duration.ofSeconds(2)));
    assertThat(decision.afterEnding(CRASH, 5, BACK, SOON_AFTER))
        .as("a quick ending with the streak at the maximum")
        .isEqualTo(new GiveUp(5));
  }

  @Test
  void aProgramThatRanTenMinutesOrWasCheckpointedSinceItCameBackStartsTheStreakAfresh() {
    RestartDecision decision = new RestartDecision(RestartPolicy.ON_CRASH, 5);

    assertThat(decision.afterEnding(CRASH, 4, BACK, BACK.plus(Backoff.HEALTHY_RUN)))
        .as("after a healthy run")
        .isEqualTo(new BringBack(1, Duration.ZERO));
    assertThat(decision.afterEnding(CRASH, 4, BACK, BACK.plus(Backoff.HEALTHY_RUN).minusSeconds(1)))
        .as("a second short of a healthy run")
        .isEqualTo(new BringBack(5, Duration.ofSeconds(8)));
    assertThat(decision.afterEnding(CRASH, 0, BACK, SOON_AFTER))
        .as("soon after, but checkpointed since (the supervisor set the streak to 0)")
        .isEqualTo(new BringBack(1, Duration.ZERO));
  }
}
