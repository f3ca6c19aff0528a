package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs placed by a node: kept only while their ownership fence holds, and started from the
 * checkpoint the node names. Against fakes, with time that passes only when the supervisor waits.
 */
class SupervisorFenceTest {
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final Path NETWORK = Path.of("/run/netns/cryo-web");

  @TempDir Path store;

  private final FakeTimeSource ticker = new FakeTimeSource(START);
  private final FakeProgramProcesses processes = new FakeProgramProcesses(ticker);
  private final FakeCheckpointer checkpointer = new FakeCheckpointer(ticker, processes);
  private final List<Path> linksSetDown = new ArrayList<>();
  private Runs runs;
  private Path fence;
  private int starts;

  @BeforeEach
  void runsOfTheStore() {
    runs = new Runs(store);
    fence = store.resolve("web.fence");
  }

  private RunDirectory run(RunSpec.Builder spec) throws Exception {
    return runs.create(spec.createdAt(START.minusSeconds(3600).toString()).build());
  }

  private RunSpec.Builder placed() {
    return RunSpec.builder("web", List.of("app"))
        .every(Duration.ofHours(1))
        .network(NETWORK.toString())
        .fence(fence.toString());
  }

  private void supervise(RunDirectory run) throws IOException {
    new Supervisor(
            run,
            checkpointer,
            runs,
            (r, spec) -> {
              starts++;
              return processes.spawn();
            },
            processes,
            ticker,
            SettingNames.PLAIN,
            Optional.empty(),
            namespace -> {
              linksSetDown.add(namespace);
              return List.of("eth0");
            })
        .supervise();
  }

  /** The node extends the fence to {@code validFor} from the fake clock's now. */
  private void extendFence(Duration validFor) throws IOException {
    OwnershipFence.extend(fence, validFor, ticker.nanoTime());
  }

  private static List<String> eventTypes(RunDirectory run) throws IOException {
    return run.events().read().stream().map(Event::type).toList();
  }

  private static RunState state(RunDirectory run) throws IOException {
    return run.state().orElseThrow(() -> new AssertionError("the supervisor wrote no state"));
  }

  @Test
  void aFenceThatExpiresKillsTheProgramTakesItsLinksDownAndEndsTheRunAsFenced() throws Exception {
    extendFence(Duration.ofSeconds(10));
    RunDirectory run = run(placed().restart(RestartPolicy.ALWAYS).coldStart(true));

    supervise(run);

    int init = processes.killed().get(0);
    assertThat(processes.killed()).as("the program's namespace, killed once").containsExactly(init);
    assertThat(linksSetDown).as("the run's namespace, its links set down").contains(NETWORK);
    assertThat(state(run).status()).isEqualTo(RunStatus.FENCED);
    assertThat(state(run).status().label()).isEqualTo("fenced");
    assertThat(eventTypes(run)).containsExactly("started", "fenced");
    assertThat(run.events().read().get(1).message())
        .as("why it was fenced")
        .contains("links eth0 set down")
        .contains("ownership lease could not be renewed in time")
        .contains("another host may now run it");
    assertThat(starts).as("started once, never again").isEqualTo(1);
    assertThat(checkpointer.restoreAttempts()).as("nothing restored").isEmpty();
  }

  @Test
  void aFenceThatTheNodeKeepsExtendingKeepsTheProgramRunning() throws Exception {
    extendFence(Duration.ofSeconds(10));
    for (int second = 5; second <= 60; second += 5) {
      ticker.at(Duration.ofSeconds(second), this::extendFenceQuietly);
    }
    RunDirectory run = run(placed());

    supervise(run);

    assertThat(eventTypes(run)).containsExactly("started", "fenced");
    assertThat(ticker.elapsed())
        .as("fenced only once the node stopped extending the fence")
        .isGreaterThan(Duration.ofSeconds(60));
  }

  private void extendFenceQuietly() {
    try {
      extendFence(Duration.ofSeconds(10));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aRunWhoseFenceIsMissingIsNeverStarted() throws Exception {
    RunDirectory run = run(placed().coldStart(true));

    supervise(run);

    assertThat(starts).as("never started").isZero();
    assertThat(state(run).status()).isEqualTo(RunStatus.FENCED);
    assertThat(eventTypes(run)).containsExactly("fenced");
    assertThat(run.events().read().get(0).message()).contains("not started (before it started)");
  }

  @Test
  void aProgramThatDiesAfterItsFenceExpiredIsNotBroughtBack() throws Exception {
    checkpointer.add("newest", "web", START.minusSeconds(60), FakeCheckpointer.Restore.SUCCEEDS);
    extendFence(Duration.ofSeconds(2));
    RunDirectory run = run(placed());
    ticker.at(
        Duration.ofMillis(1990),
        () -> processes.end(processes.onlyRunning().initPid(), ExitStatus.fromShell(128 + 9)));

    supervise(run);

    assertThat(checkpointer.restoreAttempts()).as("nothing restored").isEmpty();
    assertThat(state(run).status()).isEqualTo(RunStatus.FENCED);
  }

  @Test
  void aRunStartsFromTheCheckpointItsNodeNamesRatherThanFromItsCommand() throws Exception {
    extendFence(Duration.ofSeconds(5));
    checkpointer.add(
        "from-host-a", "web", START.minusSeconds(7200), FakeCheckpointer.Restore.SUCCEEDS);
    RunDirectory run = run(placed().startFrom("from-host-a").coldStart(true));

    supervise(run);

    assertThat(checkpointer.restoreAttempts()).containsExactly("from-host-a");
    assertThat(starts).as("not started afresh").isZero();
    assertThat(eventTypes(run)).containsExactly("restored", "fenced");
  }

  @Test
  void aStartFromACheckpointThatFailsFallsBackToAColdStartWhereAllowed() throws Exception {
    extendFence(Duration.ofSeconds(5));
    checkpointer.add(
        "from-host-a", "web", START.minusSeconds(7200), FakeCheckpointer.Restore.FAILS);
    RunDirectory run = run(placed().startFrom("from-host-a").coldStart(true));

    supervise(run);

    assertThat(checkpointer.restoreAttempts()).containsExactly("from-host-a");
    assertThat(eventTypes(run)).containsExactly("restore-failed", "cold-started", "fenced");
  }
}
