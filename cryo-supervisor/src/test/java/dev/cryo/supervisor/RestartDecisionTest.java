package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How an ending is read, and what each restart policy and the back-off make of it. */
class RestartDecisionTest {
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
    assertThat(ExitStatus.fromWaitStatus(9)).as("WIFSIGNALED, SIGKILL").isEqualTo(new ExitStatus(-1, 9));
    assertThat(ExitStatus.fromWaitStatus(3 << 8)).as("WIFEXITED, 3").isEqualTo(new ExitStatus(3, 0));
    assertThat(ExitStatus.fromWaitStatus(143 << 8)).as("a shell that reported SIGTERM").isEqualTo(new ExitStatus(-1, 15));
  }

  @Test
  void onCrashRestoresAfterASignalOrAFailureButNotAfterACleanExit() {
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.fromShell(137))).isTrue();
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.fromShell(1))).isTrue();
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.UNKNOWN)).as("an unknown ending counts as a crash").isTrue();
    assertThat(RestartPolicy.ON_CRASH.restartsAfter(ExitStatus.fromShell(0))).isFalse();
    assertThat(RestartPolicy.ALWAYS.restartsAfter(ExitStatus.fromShell(0))).isTrue();
    assertThat(RestartPolicy.NEVER.restartsAfter(ExitStatus.fromShell(137))).isFalse();
  }

  @Test
  void policiesAreWrittenAsOnTheCommandLine() {
    assertThat(RestartPolicy.parse("on-crash")).isEqualTo(RestartPolicy.ON_CRASH);
    assertThat(RestartPolicy.ON_CRASH.label()).isEqualTo("on-crash");
    assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).hasMessageContaining("on-crash, always or never");
  }

  @Test
  void theFirstAttemptIsImmediateThenTheDelayDoublesUpTo30Seconds() {
    assertThat(Backoff.delay(1)).isZero();
    assertThat(Backoff.delay(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delay(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Backoff.delay(7)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Backoff.delay(1000)).as("no overflow, however long the streak").isEqualTo(Duration.ofSeconds(30));
  }
}
