package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cryo.criu.CriuOperationException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.Manifest;
import dev.cryo.images.StagedCheckpoint;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.participants.CheckpointRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a checkpoint that fails leaves behind, phase by phase, with a fake CRIU and made-up
 * processes: no root, no CRIU.
 */
class CheckpointFailureTest {
  private static final int ROOT = 1010;
  private static final int PROGRAM = 1020;

  @TempDir Path tmp;

  private ImageStore store;
  private final FakeCriu criu = new FakeCriu();
  private final FakeProcessTable processes = new FakeProcessTable().withTree(ROOT, PROGRAM);
  private final FakeParticipants participants = new FakeParticipants(List.of(PROGRAM));
  private final List<String> notices = new ArrayList<>();
  private CheckpointService service;

  @BeforeEach
  void setUp() throws Exception {
    store = ImageStore.open(tmp.resolve("store"));
    processes.participants = participants;
    service = new CheckpointService(store, () -> criu, processes, new FakeProcessTable.FakeClock());
  }

  private static CheckpointRequest request(boolean leaveRunning) {
    return new CheckpointRequest(
        ROOT, "web", leaveRunning, Duration.ofSeconds(5), true, null, false, false, PROGRAM, true);
  }

  private CheckpointResult checkpoint(CheckpointRequest request) throws Exception {
    return service.checkpoint(request, notices::add);
  }

  private static Manifest draft() {
    return new Manifest(
        Manifest.FORMAT,
        null,
        null,
        "2026-01-01T00:00:00Z",
        new Manifest.Host("host", "6.18.0", "4.2.1", List.of()),
        new Manifest.Source(
            1, List.of(1), List.of("sh"), false, true, true, List.of(), false, null),
        0,
        List.of());
  }

  /** Whatever is left in the store's staging area. */
  private List<String> staging() throws IOException {
    try (Stream<Path> entries = Files.list(store.root().resolve(".staging"))) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** The store neither published nor set aside anything, and its staging area is empty. */
  private void assertNothingKept() throws Exception {
    assertThat(store.list()).as("nothing published").isEmpty();
    assertThat(store.unpublished()).as("nothing set aside").isEmpty();
    assertThat(staging()).as("the staged images are discarded").isEmpty();
  }

  /** Makes the store unable to publish: its checkpoints directory becomes a file. */
  private void breakTheStore() {
    try {
      Path checkpoints = store.root().resolve("checkpoints");
      Files.delete(checkpoints);
      Files.writeString(checkpoints, "not a directory");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The program ends while frozen, and our CRIU holds it dead until the watchdog gives up. */
  private void endTheProgramAndHoldItPastTheWatchdogsGrace() {
    processes.end(PROGRAM);
    processes.watched.heldDeadByOurCriu(PROGRAM);
    processes.watchdog.check(0);
    processes.watchdog.check(StuckDumpWatchdog.GRACE.toNanos());
  }

  /** Another checkpoint takes the name "web" while the dump runs. */
  private void publishAnotherCheckpointNamedWeb() {
    try {
      StagedCheckpoint other = store.stage("web");
      Files.writeString(other.imagesDir().resolve("pages-1.img"), "another");
      store.publish(other, draft());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checkpoints with a store that cannot publish once CRIU has dumped, and returns its error. */
  private ImageStoreException checkpointWithAStoreThatBreaksAfterTheDump(
      CheckpointRequest request) {
    criu.afterDump = this::breakTheStore;
    return catchThrowableOfType(ImageStoreException.class, () -> checkpoint(request));
  }

  @Test
  void aCheckpointThatSucceedsIsPublishedAndItsParticipantsResumeOnlyOnceItIsStored()
      throws Exception {
    List<String> toldAtPublication = new ArrayList<>();
    criu.afterDump = () -> toldAtPublication.addAll(participants.told);

    CheckpointResult result = checkpoint(request(true));

    assertThat(store.list()).extracting(StoredCheckpoint::label).containsExactly("web");
    assertThat(result.checkpoint().manifest().source().pids()).isEqualTo(List.of(ROOT, PROGRAM));
    assertThat(result.participantPids()).containsExactly(PROGRAM);
    assertThat(toldAtPublication)
        .as("told before the images were stored")
        .containsExactly("pending");
    assertThat(participants.told).containsExactly("pending", "resumed");
    assertThat(staging()).as("nothing left in staging").isEmpty();
  }

  @Test
  void aParticipantThatRefusesStopsTheCheckpointBeforeAnythingIsDumpedOrKept() throws Exception {
    participants.refusing = PROGRAM;

    assertThatThrownBy(() -> checkpoint(request(true)))
        .isInstanceOf(CheckpointRefusedException.class)
        .hasMessage("PID " + PROGRAM + " refused the checkpoint: a transaction is open");

    assertThat(criu.dumps).as("CRIU is never asked to dump").isEmpty();
    assertThat(participants.told)
        .as("told aborted once, by the refusal")
        .containsExactly("pending", "aborted: PID " + PROGRAM + " refused");
    assertNothingKept();
  }

  @Test
  void aDumpThatCriuFailsLeavesTheTreeRunningPublishesNothingAndKeepsCriusLog() throws Exception {
    criu.failDump = true;

    CriuOperationException failure =
        catchThrowableOfType(CriuOperationException.class, () -> checkpoint(request(false)));

    assertThat(failure).as("CRIU's own error is reported").hasMessageContaining("Dumping FAILED");
    assertThat(failure.logFile()).as("with the log where it was kept").isPresent();
    assertThat(failure.logFile().get())
        .startsWith(store.logsDir())
        .content()
        .contains(FakeCriu.ERROR_LINE);
    assertThat(participants.told)
        .as("the participants carry on")
        .containsExactly(
            "pending",
            "aborted: the dump failed: "
                + failure.getMessage().replace(" (log: " + failure.logFile().get() + ")", ""));
    assertThat(processes.isRunning(ROOT)).as("nothing ends the tree").isTrue();
    assertNothingKept();
  }

  @Test
  void aStoreThatFailsAfterTheDumpEndedTheTreeKeepsItsImagesAsUnpublishedAndSaysWhere()
      throws Exception {
    ImageStoreException failure = checkpointWithAStoreThatBreaksAfterTheDump(request(false));

    assertThat(store.unpublished()).as("the images are set aside").hasSize(1);
    Path kept = store.unpublished().get(0);
    assertThat(kept.getFileName().toString()).endsWith(".unpublished");
    assertThat(kept.resolve("images/pages-1.img"))
        .as("with the images in them")
        .hasContent("pages of the tree");
    assertThat(failure)
        .hasMessageStartingWith(
            "the process was ended after its dump but the checkpoint could not be published: cannot save the checkpoint")
        .hasMessageEndingWith("; its images are kept in " + kept);
    assertThat(participants.told)
        .as("the participants ended with the tree: nobody to tell")
        .containsExactly("pending");
  }

  @Test
  void aStoreThatFailsAfterADumpThatLeftTheTreeRunningDiscardsTheImagesAndTellsTheParticipants()
      throws Exception {
    ImageStoreException failure = checkpointWithAStoreThatBreaksAfterTheDump(request(true));

    assertThat(failure)
        .as("the store's own error")
        .hasMessageStartingWith("cannot save the checkpoint in ");
    assertThat(participants.told)
        .containsExactly(
            "pending", "aborted: the checkpoint could not be stored: " + failure.getMessage());
    assertThat(store.unpublished()).as("the tree runs on: nothing to set aside").isEmpty();
    assertThat(staging()).as("the staged images are discarded").isEmpty();
  }

  @Test
  void aProgramThatEndsBeforeCriuFreezesTheTreeIsReportedEndedAndNothingIsStored()
      throws Exception {
    criu.whileFrozen = () -> processes.end(PROGRAM);

    assertThatThrownBy(() -> checkpoint(request(true)))
        .isInstanceOf(ProcessNotFoundException.class)
        .hasMessage(
            "PID "
                + PROGRAM
                + " ended during the checkpoint, before CRIU froze it; nothing was stored");

    assertThat(participants.told).hasSize(2).first().isEqualTo("pending");
    assertThat(participants.told.get(1))
        .as("the rest of the tree carries on")
        .startsWith("aborted: the dump failed");
    assertNothingKept();
    try (Stream<Path> logs = Files.list(store.logsDir())) {
      assertThat(logs).as("no CRIU log to read: CRIU did nothing wrong").isEmpty();
    }
  }

  @Test
  void aParticipantThatEndsDuringAFailedDumpIsReportedAsEndedRatherThanAsCriusError()
      throws Exception {
    criu.whileFrozen = () -> processes.end(PROGRAM);
    criu.failDump = true;

    assertThatThrownBy(() -> checkpoint(request(false)))
        .isInstanceOf(ProcessNotFoundException.class)
        .hasMessage("PID " + PROGRAM + " ended during the checkpoint; nothing was stored");

    assertNothingKept();
  }

  @Test
  void aProcessThatEndsWhileACriuThatNeverLetsGoHoldsItIsReportedWithCriusLogAndNothingIsStored()
      throws Exception {
    criu.whileFrozen = this::endTheProgramAndHoldItPastTheWatchdogsGrace;
    criu.failDump = true;

    ProcessNotFoundException failure =
        catchThrowableOfType(ProcessNotFoundException.class, () -> checkpoint(request(true)));

    assertThat(processes.watched.killed)
        .as("the stuck CRIU is stopped")
        .contains(FakeWatchedProcesses.OUR_CRIU);
    assertThat(failure)
        .hasMessageStartingWith(
            "PID "
                + PROGRAM
                + " ended during the checkpoint and CRIU did not "
                + "let go of it within 10 s, so CRIU was stopped; nothing was stored, and the rest of the tree may need a "
                + "restart (CRIU's log: "
                + store.logsDir());
    assertThat(participants.told)
        .hasSize(2)
        .last()
        .asString()
        .startsWith("aborted: the dump failed");
    assertNothingKept();
  }

  @Test
  void aNameTakenMeanwhileByAnotherCheckpointPublishesATreeTheDumpEndedUnderItsIdAlone()
      throws Exception {
    criu.afterDump = this::publishAnotherCheckpointNamedWeb;

    CheckpointResult result = checkpoint(request(false));

    assertThat(result.checkpoint().manifest().name()).as("published without its name").isNull();
    assertThat(store.list()).hasSize(2);
  }

  @Test
  void thePhasesRunOnlyInTheirOrder() throws Exception {
    CheckpointAttempt attempt = service.begin(request(true), notices::add);

    assertThatThrownBy(attempt::dump)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a checkpoint goes from PREPARED to DUMPED, not from BEGUN");
    assertThatThrownBy(attempt::resume).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAttemptClosedBeforeItWasPublishedIsAbortedAndLeavesNothing() throws Exception {
    try (CheckpointAttempt attempt = service.begin(request(true), notices::add)) {
      attempt.stage();
      attempt.prepareParticipants();
    }

    assertThat(participants.told)
        .containsExactly(
            "pending",
            "aborted: the checkpoint failed: the checkpoint was closed before it was published");
    assertThat(staging()).isEmpty();
  }

  @Test
  void aProcessThatIsNotRunningIsRefusedBeforeAnythingIsStaged() throws Exception {
    processes.end(ROOT);

    assertThatThrownBy(() -> checkpoint(request(true)))
        .isInstanceOf(ProcessNotFoundException.class)
        .hasMessage(
            "no running process with PID " + ROOT + "; check the PID with 'ps -p " + ROOT + "'");
    assertThat(staging()).isEmpty();
    assertThat(participants.told).isEmpty();
  }
}
