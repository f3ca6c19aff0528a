package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointScheduleTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void aFailedCheckpointIsRetriedAfterOneSecondThenBacksOffByDoubling() {
    assertThat(CheckpointSchedule.retryDelay(1, MINUTE))
        .as("after the first failure")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(CheckpointSchedule.retryDelay(2, MINUTE))
        .as("after the second")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(CheckpointSchedule.retryDelay(4, MINUTE))
        .as("after the fourth")
        .isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void retriesNeverWaitLongerThanTheSchedule() {
    assertThat(CheckpointSchedule.retryDelay(30, MINUTE))
        .as("after many failures")
        .isEqualTo(MINUTE);
    assertThat(CheckpointSchedule.retryDelay(1, Duration.ofMillis(500)))
        .as("a period shorter than the first retry")
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void checkpointsOfAProgramWhoseClientsAreHeldComeAtLeastThreeSecondsApart() {
    assertThat(CheckpointSchedule.spaced(Duration.ofSeconds(1), true))
        .as("--every 1s, clients held")
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(CheckpointSchedule.spaced(Duration.ofSeconds(1), false))
        .as("--every 1s, nobody held")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(CheckpointSchedule.spaced(MINUTE, true))
        .as("--every 1m, clients held")
        .isEqualTo(MINUTE);
  }

  @Test
  void aCheckpointIsOverdueOnlyAfterTwoPeriodsAndTenSeconds() {
    Instant since = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(CheckpointSchedule.isOverdue(MINUTE, since, since.plusSeconds(130)))
        .as("2 min 10 s after the newest checkpoint, every minute")
        .isFalse();
    assertThat(CheckpointSchedule.isOverdue(MINUTE, since, since.plusSeconds(131)))
        .as("2 min 11 s after the newest checkpoint, every minute")
        .isTrue();
  }

  @Test
  void afterASuccessTheNextCheckpointIsAPeriodAwayAndAfterFailuresItComesSooner() {
    assertThat(CheckpointSchedule.untilNext(0, MINUTE, false))
        .as("after a checkpoint that succeeded")
        .isEqualTo(MINUTE);
    assertThat(CheckpointSchedule.untilNext(1, MINUTE, false))
        .as("after one failure")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(CheckpointSchedule.untilNext(3, MINUTE, false))
        .as("after three in a row")
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(CheckpointSchedule.untilNext(1, MINUTE, true))
        .as("after one failure, clients held")
        .isEqualTo(CheckpointSchedule.HOLD_SPACING);
    assertThat(CheckpointSchedule.untilNext(0, Duration.ofSeconds(1), true))
        .as("--every 1s, clients held")
        .isEqualTo(CheckpointSchedule.HOLD_SPACING);
  }
}
