package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The supervisor's decisions when its program ends or a checkpoint fails, carried out against
 * fakes: no root, no CRIU, no real processes, and time that passes only when the supervisor waits.
 */
class SupervisorTest {
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final ExitStatus SIGKILL = ExitStatus.fromShell(128 + 9);
  private static final ExitStatus CLEAN_EXIT = ExitStatus.fromShell(0);

  @TempDir Path store;

  private final FakeTimeSource ticker = new FakeTimeSource(START);
  private final FakeProgramProcesses processes = new FakeProgramProcesses(ticker);
  private final FakeCheckpointer checkpointer = new FakeCheckpointer(ticker, processes);
  private Runs runs;

  @BeforeEach
  void runsOfTheStore() {
    runs = new Runs(store);
  }

  private RunDirectory run(
      RestartPolicy restart, boolean coldStart, int maxRestarts, Duration every) throws Exception {
    return run(restart, coldStart, maxRestarts, every, 10);
  }

  private RunDirectory run(
      RestartPolicy restart, boolean coldStart, int maxRestarts, Duration every, int keep)
      throws Exception {
    RunSpec spec =
        RunSpec.builder("web", List.of("app"))
            .every(every)
            .keep(keep)
            .restart(restart)
            .coldStart(coldStart)
            .maxRestarts(maxRestarts)
            .createdAt(START.minusSeconds(3600).toString())
            .build();
    return runs.create(spec);
  }

  private RunDirectory run(RestartPolicy restart) throws Exception {
    return run(restart, false, 5, Duration.ofHours(1));
  }

  private boolean supervise(RunDirectory run) throws IOException {
    return new Supervisor(
            run,
            checkpointer,
            runs,
            (r, spec) -> processes.spawn(),
            processes,
            ticker,
            SettingNames.PLAIN,
            Optional.empty())
        .supervise();
  }

  private StoredCheckpoint checkpoint(
      String id, int minutesAfterTheRunBegan, FakeCheckpointer.Restore outcome) {
    return checkpointer.add(
        id, "web", START.minusSeconds(3600).plusSeconds(60L * minutesAfterTheRunBegan), outcome);
  }

  private void endTheProgramAt(Duration after, ExitStatus status) {
    ticker.at(after, () -> processes.end(processes.onlyRunning().initPid(), status));
  }

  private void requestStopAt(Duration after, RunDirectory run) {
    ticker.at(
        after,
        () -> {
          try {
            run.requestStop();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * Supervises {@code run} while its program ends at 1 s; the run ends when the supervisor says.
   */
  private void superviseAnEndingAtOneSecond(RunDirectory run, ExitStatus status)
      throws IOException {
    endTheProgramAt(Duration.ofSeconds(1), status);
    supervise(run);
  }

  /** Supervises {@code run} while its program ends at 1 s, and asks it to stop at 5 s. */
  private boolean superviseAnEndingAtOneSecondThenAStopAtFive(RunDirectory run, ExitStatus status)
      throws IOException {
    endTheProgramAt(Duration.ofSeconds(1), status);
    requestStopAt(Duration.ofSeconds(5), run);
    return supervise(run);
  }

  /** The program is killed at 1 s, and again at 2 s, a second after it was brought back. */
  private void endTheProgramAtOneSecondAndSoonAfterItIsBack() {
    endTheProgramAt(Duration.ofSeconds(1), SIGKILL);
    endTheProgramAt(Duration.ofSeconds(2), SIGKILL);
  }

  /**
   * The events of a run whose program was killed, brought back, killed again soon after and brought
   * back after a wait; then {@code later} ones.
   */
  private static List<String> eventsAfterAnEndingSoonAfterItWasBack(String... later) {
    List<String> events =
        new ArrayList<>(List.of("started", "died", "restored", "died", "waiting", "restored"));
    events.addAll(List.of(later));
    return events;
  }

  private static List<String> eventTypes(RunDirectory run) throws IOException {
    return run.events().read().stream().map(Event::type).toList();
  }

  /** The messages of the run's events of {@code type}, in order. */
  private static List<String> messages(RunDirectory run, String type) throws IOException {
    return run.events().read().stream()
        .filter(e -> e.type().equals(type))
        .map(Event::message)
        .toList();
  }

  private static Event event(RunDirectory run, String type) throws IOException {
    List<Event> events = run.events().read();
    return events.stream()
        .filter(e -> e.type().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + type + "' event among " + events));
  }

  private static RunState state(RunDirectory run) throws IOException {
    return run.state().orElseThrow(() -> new AssertionError("the supervisor wrote no state"));
  }

  @Test
  void aProgramKilledBySignalIsRestoredFromItsNewestCheckpointUnderOnCrash() throws Exception {
    checkpoint("older", 10, FakeCheckpointer.Restore.SUCCEEDS);
    checkpoint("newest", 20, FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(RestartPolicy.ON_CRASH);
    assertThat(superviseAnEndingAtOneSecondThenAStopAtFive(run, SIGKILL))
        .as("the supervisor held the run")
        .isTrue();

    assertThat(checkpointer.restoreAttempts())
        .as("checkpoints tried, in order")
        .containsExactly("newest");
    assertThat(eventTypes(run)).containsExactly("started", "died", "restored", "stopped");
    assertThat(event(run, "died").message()).contains("killed by signal 9");
    assertThat(state(run).status()).isEqualTo(RunStatus.STOPPED);
    assertThat(state(run).restarts()).as("restarts counted in the state").isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}, after shell status {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ON_CRASH | 0   | not brought back: it exited cleanly, and restart policy on-crash",
        "NEVER    | 137 | not brought back: restart policy never"
      })
  void anEndingThatThePolicyDoesNotBringBackEndsTheRun(
      RestartPolicy policy, int shellStatus, String why) throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(policy);
    ExitStatus ending = ExitStatus.fromShell(shellStatus);
    superviseAnEndingAtOneSecond(run, ending);

    assertThat(checkpointer.restoreAttempts()).as("checkpoints tried").isEmpty();
    assertThat(eventTypes(run)).containsExactly("started", "died", "exited");
    assertThat(event(run, "exited").message()).as("why it was not brought back").isEqualTo(why);
    assertThat(state(run).status()).isEqualTo(RunStatus.EXITED);
    assertThat(state(run).detail()).as("how it ended").isEqualTo(ending.describe());
  }

  @Test
  void aCleanExitIsBroughtBackUnderAlways() throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(RestartPolicy.ALWAYS);
    superviseAnEndingAtOneSecondThenAStopAtFive(run, CLEAN_EXIT);

    assertThat(eventTypes(run)).containsExactly("started", "died", "restored", "stopped");
  }

  @Test
  void whenTheNewestCheckpointDoesNotRestoreEachOlderOneIsTriedInTurn() throws Exception {
    checkpoint("oldest", 10, FakeCheckpointer.Restore.SUCCEEDS);
    checkpoint("middle", 20, FakeCheckpointer.Restore.CORRUPT);
    checkpoint("newest", 30, FakeCheckpointer.Restore.FAILS);
    RunDirectory run = run(RestartPolicy.ON_CRASH);
    superviseAnEndingAtOneSecondThenAStopAtFive(run, SIGKILL);

    assertThat(checkpointer.restoreAttempts())
        .as("checkpoints tried, in order")
        .containsExactly("newest", "middle", "oldest");
    assertThat(eventTypes(run))
        .containsExactly("started", "died", "restore-failed", "skipped", "restored", "stopped");
    assertThat(event(run, "restore-failed").message())
        .contains("CRIU failed")
        .contains("trying the one before, middle");
    assertThat(event(run, "skipped").message())
        .contains("is corrupt")
        .contains("trying the one before, oldest");
    assertThat(event(run, "restored").checkpoint()).isEqualTo("oldest");
    assertThat(event(run, "restored").message())
        .contains("the newer checkpoints could not be used");
    assertThat(state(run).restarts())
        .as("one restart, however many checkpoints it took")
        .isEqualTo(1);
  }

  @Test
  void aRestoredInitWithoutItsProgramIsDiscardedAndTheNextOlderCheckpointTried() throws Exception {
    checkpoint("older", 10, FakeCheckpointer.Restore.SUCCEEDS);
    checkpoint("newest", 20, FakeCheckpointer.Restore.INIT_ALONE);
    RunDirectory run = run(RestartPolicy.ON_CRASH);
    superviseAnEndingAtOneSecondThenAStopAtFive(run, SIGKILL);

    assertThat(event(run, "restore-failed").message()).contains("without the program");
    assertThat(event(run, "restored").checkpoint()).isEqualTo("older");
    assertThat(processes.discarded())
        .as("inits killed and reaped after a restore that brought back no program")
        .hasSize(1);
  }

  @Test
  void whenNoCheckpointRestoresEachAttemptBacksOffLongerUntilTheSupervisorGivesUp()
      throws Exception {
    checkpoint("older", 10, FakeCheckpointer.Restore.FAILS);
    checkpoint("newest", 20, FakeCheckpointer.Restore.FAILS);
    RunDirectory run = run(RestartPolicy.ON_CRASH, false, 3, Duration.ofHours(1));
    superviseAnEndingAtOneSecond(run, SIGKILL);

    assertThat(checkpointer.restoreAttempts())
        .as("both checkpoints tried at each of 3 attempts")
        .containsExactly("newest", "older", "newest", "older", "newest", "older");
    List<String> waits = messages(run, "waiting");
    assertThat(waits)
        .as("the waits before the second and third attempts")
        .containsExactly(
            "waiting 1 s before attempt 2 (it keeps ending before it can be checkpointed again)",
            "waiting 2 s before attempt 3 (it keeps ending before it can be checkpointed again)");
    assertThat(event(run, "gave-up").message())
        .contains("3 times in a row")
        .contains("(at most 3 restarts in a row)");
    assertThat(state(run).status()).isEqualTo(RunStatus.FAILED);
    assertThat(state(run).detail()).isEqualTo("gave up after 3 attempts");
    assertThat(ticker.elapsed())
        .as("time spent: 1 s of running, then 1 s and 2 s of back-off")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void whenNoCheckpointRestoresAColdStartIsTheLastResortIfAllowed() throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.FAILS);
    RunDirectory run = run(RestartPolicy.ON_CRASH, true, 5, Duration.ofHours(1));
    superviseAnEndingAtOneSecondThenAStopAtFive(run, SIGKILL);

    assertThat(eventTypes(run))
        .containsExactly("started", "died", "restore-failed", "cold-started", "stopped");
    assertThat(event(run, "restore-failed").message())
        .endsWith("; no older checkpoint, starting afresh (cold start allowed)");
    assertThat(state(run).restarts()).isEqualTo(1);
  }

  @Test
  void withoutACheckpointOrAColdStartTheRunFailsAtOnceSinceTryingAgainCannotHelp()
      throws Exception {
    RunDirectory run = run(RestartPolicy.ON_CRASH);
    superviseAnEndingAtOneSecond(run, SIGKILL);

    assertThat(eventTypes(run)).containsExactly("started", "died", "no-checkpoint");
    assertThat(event(run, "no-checkpoint").message())
        .isEqualTo(
            "there is no checkpoint to restore; run with cold start allowed to start afresh then");
    assertThat(state(run).status()).isEqualTo(RunStatus.FAILED);
    assertThat(state(run).detail()).isEqualTo("no checkpoint to restore");
  }

  @Test
  void aProgramThatEndsAgainSoonWaitsButOneCheckpointedOrLongRunningSinceIsBackAtOnce()
      throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(RestartPolicy.ON_CRASH, false, 5, Duration.ofSeconds(10));
    endTheProgramAtOneSecondAndSoonAfterItIsBack();
    // Brought back at 3 s, after a second of back-off; checkpointed at 13 s.
    endTheProgramAt(Duration.ofSeconds(20), SIGKILL);
    requestStopAt(Duration.ofSeconds(25), run);

    supervise(run);

    assertThat(eventTypes(run))
        .as("events")
        .containsExactlyElementsOf(
            eventsAfterAnEndingSoonAfterItWasBack("checkpointed", "died", "restored", "stopped"));
    assertThat(checkpointer.checkpointTimes())
        .as("when checkpoints were taken")
        .containsExactly(Duration.ofSeconds(13));
  }

  @Test
  void aProgramThatRanForTenMinutesSinceItCameBackIsBackAtOnceWhenItEndsAgain() throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(RestartPolicy.ON_CRASH);
    endTheProgramAtOneSecondAndSoonAfterItIsBack();
    endTheProgramAt(Duration.ofSeconds(3).plus(Backoff.HEALTHY_RUN), SIGKILL);
    requestStopAt(Duration.ofSeconds(5).plus(Backoff.HEALTHY_RUN), run);

    supervise(run);

    assertThat(eventTypes(run))
        .as("events")
        .containsExactlyElementsOf(
            eventsAfterAnEndingSoonAfterItWasBack("died", "restored", "stopped"));
    assertThat(state(run).streak()).as("the streak starts afresh after a healthy run").isEqualTo(1);
  }

  @Test
  void aStopRequestedDuringTheBackOffStopsTheRunWithoutAnotherAttempt() throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.FAILS);
    RunDirectory run = run(RestartPolicy.ON_CRASH);
    endTheProgramAt(Duration.ofSeconds(1), SIGKILL);
    requestStopAt(Duration.ofMillis(1500), run);

    supervise(run);

    assertThat(checkpointer.restoreAttempts()).as("checkpoints tried").containsExactly("newest");
    assertThat(eventTypes(run))
        .containsExactly("started", "died", "restore-failed", "waiting", "stopped");
    assertThat(state(run).status()).isEqualTo(RunStatus.STOPPED);
  }

  @Test
  void aFailedScheduledCheckpointIsRetriedAfterGrowingDelaysThenTheScheduleResumes()
      throws Exception {
    RunDirectory run = run(RestartPolicy.ON_CRASH, false, 5, Duration.ofSeconds(10));
    ticker.at(Duration.ofSeconds(11), () -> checkpointer.failNextCheckpoints(3));
    requestStopAt(Duration.ofSeconds(40), run);

    supervise(run);

    assertThat(checkpointer.checkpointTimes())
        .as("when checkpoints were tried")
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(21),
            Duration.ofSeconds(23),
            Duration.ofSeconds(27),
            Duration.ofSeconds(37));
    List<String> retries = messages(run, "retrying");
    assertThat(retries)
        .containsExactly(
            "the next checkpoint is tried in 1.000 s rather than in 10.000 s (1 failed in a row)",
            "the next checkpoint is tried in 2.000 s rather than in 10.000 s (2 failed in a row)",
            "the next checkpoint is tried in 4.000 s rather than in 10.000 s (3 failed in a row)");
    assertThat(event(run, "checkpoint-failed").message())
        .isEqualTo(
            "the program was busy; the program keeps running and checkpoint ck-1 is untouched");
    assertThat(state(run).status()).isEqualTo(RunStatus.STOPPED);
  }

  @Test
  void retriesOfAProgramWhoseNewClientsAreHeldComeAtLeastThreeSecondsApart() throws Exception {
    checkpointer.programListeners(CheckpointResult.Listeners.CLOSED);
    checkpointer.failNextCheckpoints(2);
    RunDirectory run = run(RestartPolicy.ON_CRASH, false, 5, Duration.ofSeconds(10));
    requestStopAt(Duration.ofSeconds(20), run);

    supervise(run);

    assertThat(checkpointer.checkpointTimes())
        .as("when checkpoints were tried")
        .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(13), Duration.ofSeconds(16));
  }

  @Test
  void aCheckpointThatFailedBecauseTheProgramEndedIsNotRetriedSooner() throws Exception {
    checkpoint("newest", 20, FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(RestartPolicy.ON_CRASH, false, 5, Duration.ofSeconds(10));
    checkpointer.failNextCheckpoints(1);
    checkpointer.duringNextCheckpoint(
        () -> processes.end(processes.onlyRunning().initPid(), SIGKILL));
    requestStopAt(Duration.ofSeconds(25), run);

    supervise(run);

    assertThat(eventTypes(run))
        .as("events")
        .containsExactly(
            "started", "checkpoint-failed", "died", "restored", "checkpointed", "stopped");
    assertThat(event(run, "checkpoint-failed").message())
        .as("a program that ended does not keep running")
        .isEqualTo("the program was busy; checkpoint newest is untouched");
    // The ending is seen at the next poll, 50 ms on; the schedule starts again from the restore.
    assertThat(checkpointer.checkpointTimes())
        .as("when checkpoints were tried")
        .containsExactly(Duration.ofSeconds(10), Duration.ofMillis(20_050));
  }

  @Test
  void onlyTheNewestCheckpointsAreKeptAndEachDeletionSaysWhy() throws Exception {
    RunDirectory run = run(RestartPolicy.ON_CRASH, false, 5, Duration.ofSeconds(10), 2);
    requestStopAt(Duration.ofSeconds(45), run);

    supervise(run);

    assertThat(checkpointer.deleted())
        .as("checkpoints deleted, in order")
        .containsExactly("ck-1", "ck-2");
    assertThat(checkpointer.list())
        .extracting(StoredCheckpoint::id)
        .as("checkpoints left")
        .containsExactlyInAnyOrder("ck-3", "ck-4");
    assertThat(event(run, "deleted").message())
        .isEqualTo("checkpoint ck-1 deleted: keeping the newest 2");
  }
}
