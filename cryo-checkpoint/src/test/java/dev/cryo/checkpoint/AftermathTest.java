package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.HookFailedException;
import dev.cryo.images.ImageStoreException;
import dev.cryo.participants.CheckpointRefusedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The one decision of what a failed checkpoint keeps, tells and reports. */
class AftermathTest {
  private static final Path LOG = Path.of("/store/logs/dump.log");
  private static final Path KEPT = Path.of("/store/.staging/id.unpublished");
  private static final CriuOperationException CRIU_FAILED =
      new CriuOperationException(
          "dump",
          0,
          null,
          List.of("Error (criu/cr-dump.c:1): Dumping FAILED."),
          Path.of("/store/.staging/id.1/dump.log"),
          null);

  private static Aftermath decide(
      Exception error, boolean treeEnded, OptionalInt abandoned, OptionalInt ended) {
    return Aftermath.decide(error, true, treeEnded, abandoned, () -> ended);
  }

  @Test
  void nothingStagedLeavesNothingToCleanAndReportsTheErrorAsItIs() {
    ImageStoreException full =
        new ImageStoreException("cannot create a checkpoint under /store: no space left");

    Aftermath aftermath =
        Aftermath.decide(full, false, false, OptionalInt.empty(), OptionalInt::empty);

    assertThat(aftermath.images()).isEqualTo(Aftermath.Images.NONE);
    assertThat(aftermath.abortReason()).isEmpty();
    assertThat(aftermath.report().exception(Optional.empty(), null)).isSameAs(full);
  }

  @Test
  void anyFailureAfterTheDumpEndedTheTreeKeepsItsImagesAndTellsNobody() {
    for (Exception error :
        List.of(new ImageStoreException("cannot save"), new IllegalStateException("bug"))) {
      Aftermath aftermath = decide(error, true, OptionalInt.empty(), OptionalInt.empty());

      assertThat(aftermath.images())
          .as("after %s", error)
          .isEqualTo(Aftermath.Images.KEEP_UNPUBLISHED);
      assertThat(aftermath.abortReason()).as("after %s", error).isEmpty();
      assertThat(aftermath.report().exception(Optional.empty(), KEPT))
          .isInstanceOf(ImageStoreException.class)
          .hasMessage(
              "the process was ended after its dump but the checkpoint could not be published: "
                  + error.getMessage()
                  + "; its images are kept in "
                  + KEPT)
          .hasCause(error);
    }
  }

  @Test
  void aRefusalDiscardsTheImagesAndTellsNobodyAgain() {
    Aftermath aftermath =
        decide(
            new CheckpointRefusedException(7, null, "busy"),
            false,
            OptionalInt.empty(),
            OptionalInt.empty());

    assertThat(aftermath.images()).isEqualTo(Aftermath.Images.DISCARD);
    assertThat(aftermath.abortReason()).as("told by the refusal itself").isEmpty();
  }

  @Test
  void aFailedDumpKeepsCriusLogAndReportsItsNewPlace() {
    Aftermath aftermath = decide(CRIU_FAILED, false, OptionalInt.empty(), OptionalInt.empty());

    assertThat(aftermath.keepDumpLog()).isTrue();
    assertThat(aftermath.releaseNetworkLock()).isFalse();
    assertThat(aftermath.abortReason()).contains("the dump failed: " + CRIU_FAILED.getMessage());
    assertThat(
            ((CriuOperationException) aftermath.report().exception(Optional.of(LOG), null))
                .logFile())
        .contains(LOG);
  }

  @Test
  void aDumpTheWatchdogStoppedReleasesTheNetworkLockThatTheKilledCriuLeft() {
    Aftermath aftermath = decide(CRIU_FAILED, false, OptionalInt.of(12), OptionalInt.empty());

    assertThat(aftermath.releaseNetworkLock()).isTrue();
    assertThat(aftermath.report().exception(Optional.of(LOG), null))
        .isInstanceOf(ProcessNotFoundException.class)
        .hasMessageStartingWith("PID 12 ended during the checkpoint and CRIU did not let go of it")
        .hasMessageEndingWith(" (CRIU's log: " + LOG + ")");
  }

  @Test
  void aProgramMissingAtThePostDumpHookIsReportedAsItIsWithoutCriusLog() {
    ProcessNotFoundException missing =
        new ProcessNotFoundException(
            "PID 12 ended during the checkpoint, before " + "CRIU froze it; nothing was stored");
    CriuOperationException hookFailed =
        new CriuOperationException(
            "dump", 0, null, List.of(), null, new HookFailedException("post-dump", missing));

    Aftermath aftermath = decide(hookFailed, false, OptionalInt.empty(), OptionalInt.of(12));

    assertThat(aftermath.keepDumpLog()).as("CRIU did nothing wrong").isFalse();
    assertThat(aftermath.report().exception(Optional.empty(), null)).isSameAs(missing);
  }

  @Test
  void aCriuErrorWhileAProcessEndedIsReportedAsTheEnding() {
    Aftermath aftermath = decide(CRIU_FAILED, false, OptionalInt.empty(), OptionalInt.of(12));

    assertThat(aftermath.report().exception(Optional.of(LOG), null))
        .isInstanceOf(ProcessNotFoundException.class)
        .hasMessage("PID 12 ended during the checkpoint; nothing was stored");
  }
}
