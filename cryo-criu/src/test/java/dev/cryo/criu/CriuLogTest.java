package dev.cryo.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CriuLogTest {
  private static final List<String> RESTORE_LOG =
      List.of(
          "Warn  (criu/config.c:1063): --network-lock will be ignored in restore command",
          "Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted",
          "(00.012345) Error (criu/cr-restore.c:1237): Can't fork for 6870: File exists",
          "Error (criu/cr-restore.c:2331): Restoring FAILED.");

  @Test
  void keepsErrorLinesAndDropsKnownHarmlessOnes() {
    assertThat(CriuLog.errors(RESTORE_LOG))
        .containsExactly(
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
    var e =
        new CriuOperationException("restore", 17, null, CriuLog.errors(RESTORE_LOG), null, null);
    assertThat(e.getMessage())
        .isEqualTo("criu restore failed: Can't fork for 6870: File exists (errno 17)");
  }

  /**
   * The error lines of a dump of a process running as nobody, by a CRIU without CAP_SYS_RESOURCE.
   */
  private static final List<String> FOREIGN_USER_DUMP_LOG =
      List.of(
          "Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted",
          "Warn  (compel/arch/x86/src/lib/infect.c:419): Will restore 22989 with interrupted system call",
          "Error (criu/cr-dump.c:389): Can't get rlimit 0: Operation not permitted",
          "Error (criu/cr-dump.c:1584): Dump core (pid: 22989) failed with -1",
          "Error (criu/cr-dump.c:1975): Dumping FAILED.");

  @Test
  void aDumpRefusedAProcesssResourceLimitsSaysSoAndNamesTheProcess() {
    var e =
        new CriuOperationException(
            "dump", 0, null, CriuLog.errors(FOREIGN_USER_DUMP_LOG), null, null);
    assertThat(e.resourceLimitsDenied())
        .as("'Can't get rlimit 0: Operation not permitted' in the log")
        .isTrue();
    assertThat(e.failedDumpPid()).as("the PID of 'Dump core (pid: 22989) failed'").hasValue(22989);
  }

  @Test
  void otherFailuresAreNotTakenForARefusedResourceLimit() {
    var e =
        new CriuOperationException("restore", 17, null, CriuLog.errors(RESTORE_LOG), null, null);
    assertThat(e.resourceLimitsDenied()).as("a restore that failed on a taken PID").isFalse();
    assertThat(e.failedDumpPid()).isEmpty();
  }
}
