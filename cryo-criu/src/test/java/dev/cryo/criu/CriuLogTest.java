package dev.cryo.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CriuLogTest {
  private static final List<String> RESTORE_LOG = List.of(
      "Warn  (criu/config.c:1063): --network-lock will be ignored in restore command",
      "Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted",
      "(00.012345) Error (criu/cr-restore.c:1237): Can't fork for 6870: File exists",
      "Error (criu/cr-restore.c:2331): Restoring FAILED.");

  @Test
  void keepsErrorLinesAndDropsKnownHarmlessOnes() {
    assertThat(CriuLog.errors(RESTORE_LOG)).containsExactly(
        "(00.012345) Error (criu/cr-restore.c:1237): Can't fork for 6870: File exists",
        "Error (criu/cr-restore.c:2331): Restoring FAILED.");
  }

  @Test
  void theCauseIsTheFirstErrorThatIsNotTheClosingSummary() {
    String cause = CriuLog.cause(CriuLog.errors(RESTORE_LOG));
    assertThat(CriuLog.withoutPrefix(cause)).isEqualTo("Can't fork for 6870: File exists");
  }

  @Test
  void anOperationExceptionLeadsWithTheCause() {
    var e = new CriuOperationException("restore", 17, null, CriuLog.errors(RESTORE_LOG), null, null);
    assertThat(e.getMessage()).isEqualTo("criu restore failed: Can't fork for 6870: File exists (errno 17)");
  }
}
