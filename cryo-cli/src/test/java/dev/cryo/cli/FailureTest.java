package dev.cryo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.cryo.checkpoint.PidInUseException;
import dev.cryo.checkpoint.ProcessNotFoundException;
import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.criu.HookFailedException;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.ImageStoreUnusableException;
import dev.cryo.participants.UnreachableParticipantException;
import dev.cryo.supervisor.RunNameTakenException;
import dev.cryo.supervisor.RunNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureTest {
  @Test
  void eachKindOfErrorHasItsExitCode() {
    assertThat(Failure.of(new ProcessNotFoundException("x")).exitCode())
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(Failure.of(new CheckpointNotFoundException("x")).exitCode())
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(Failure.of(new CorruptCheckpointException("x", List.of("p"))).exitCode())
        .isEqualTo(ExitCode.CORRUPT);
    assertThat(Failure.of(new CriuUnavailableException("x")).exitCode())
        .isEqualTo(ExitCode.CRIU_UNAVAILABLE);
    assertThat(Failure.of(new PidInUseException(1, "x")).exitCode()).isEqualTo(ExitCode.CONFLICT);
    assertThat(Failure.of(new ImageStoreException("x")).exitCode()).isEqualTo(ExitCode.STORE);
    assertThat(Failure.of(new IllegalStateException("bug")).exitCode())
        .isEqualTo(ExitCode.INTERNAL);
  }

  @Test
  void errorsAboutRunsEndWithWhatToDoInTheCommandLinesWords() {
    assertThat(Failure.of(new RunNameTakenException("web", "running")).message())
        .isEqualTo(
            "the name 'web' is in use by a program that is running; choose another name, or 'cryo stop web' first");
    assertThat(Failure.of(new RunNotFoundException("web")).message())
        .isEqualTo("no program named 'web' runs under cryo; 'cryo ps' lists them");
  }

  /** A failed {@code criu dump} that logged {@code errorLines}. */
  private static CriuOperationException dumpFailure(
      Path log, Throwable cause, String... errorLines) {
    return new CriuOperationException("dump", 0, null, List.of(errorLines), log, cause);
  }

  static Stream<Arguments> failuresAndHowTheyAreReported() {
    return Stream.of(
        arguments(
            "an unreachable participant is a refusal that names the option not to tell it",
            new UnreachableParticipantException("could not reach the control socket of PID 7"),
            ExitCode.REFUSED,
            "could not reach the control socket of PID 7; to checkpoint it without telling it,"
                + " use --plain"),
        arguments(
            "a store failure while the process was frozen is a store error that says the process"
                + " runs",
            dumpFailure(
                null,
                new HookFailedException(
                    "post-dump",
                    new ImageStoreException(
                        "cannot save the checkpoint in /s: no space left on device")),
                "Error (x): Dumping FAILED."),
            ExitCode.STORE,
            "cannot save the checkpoint in /s: no space left on device; the process was left"
                + " running"),
        arguments(
            "an unusable store is reported with the option that chooses another",
            new ImageStoreUnusableException(
                "cannot write the image store at /s: permission denied; fix its permissions or"
                    + " choose another directory"),
            ExitCode.STORE,
            "cannot write the image store at /s: permission denied; fix its "
                + "permissions or choose another directory with --store DIR"),
        arguments(
            "a dump that filled the store is reported with the option that chooses another",
            dumpFailure(
                Path.of("/s/dump.log"),
                null,
                "Error (criu/image.c:1): write: No space left on device"),
            ExitCode.STORE,
            "criu dump failed: write: No space left on device (log: /s/dump.log); "
                + "free space in the image store or choose another with --store DIR"),
        arguments(
            "a CRIU failure names its log",
            dumpFailure(
                Path.of("/s/dump.log"),
                null,
                "Error (criu/sk-unix.c:1): Can't dump external socket"),
            ExitCode.CRIU_FAILED,
            "criu dump failed: Can't dump external socket (log: /s/dump.log)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failuresAndHowTheyAreReported")
  void eachFailureIsReportedWithItsExitCodeAndMessage(
      String behaviour, Exception error, ExitCode exitCode, String message) {
    Failure failure = Failure.of(error);

    assertThat(failure.exitCode()).as("the exit code, where %s", behaviour).isEqualTo(exitCode);
    assertThat(failure.message()).as("the message, where %s", behaviour).isEqualTo(message);
  }

  @Test
  void aTreeCriuCannotDumpHereAndCriusOwnRefusedResourceLimitsShareExitCode6() {
    CriuException refusedBeforehand =
        new CriuException(
            "PID 2 (nginx) runs as user nobody (uid 65534), and CRIU "
                + "cannot read the resource limits of another user's process without CAP_SYS_RESOURCE, which this cryo lacks");
    CriuOperationException refusedByCriu =
        dumpFailure(
            null,
            null,
            "Error (criu/cr-dump.c:389): Can't get rlimit 0: Operation not permitted",
            "Error (criu/cr-dump.c:1584): Dump core (pid: 2147483600) failed with -1");

    assertThat(Failure.of(refusedBeforehand).exitCode())
        .as("cryo's refusal before the dump")
        .isEqualTo(ExitCode.CRIU_FAILED);
    assertThat(Failure.of(refusedBeforehand).message()).isEqualTo(refusedBeforehand.getMessage());
    assertThat(Failure.of(refusedByCriu).exitCode())
        .as("CRIU's refusal during the dump")
        .isEqualTo(ExitCode.CRIU_FAILED);
    assertThat(Failure.of(refusedByCriu).message())
        .as("CRIU's refusal in cryo's words")
        .startsWith("CRIU was not permitted to read the resource limits of PID 2147483600")
        .contains("CAP_SYS_RESOURCE");
  }
}
