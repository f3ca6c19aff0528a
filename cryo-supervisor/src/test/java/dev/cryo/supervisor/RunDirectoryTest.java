package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run directories: private, named once at a time, with state and events that survive their writers.
 */
class RunDirectoryTest {
  @TempDir Path store;

  private static RunSpec spec(String name) {
    return RunSpec.builder(name, List.of("sleep", "600"))
        .environment(Map.of("SECRET", "x"))
        .every(Duration.ofMinutes(1))
        .build();
  }

  /** Writes a state of {@code status} for a run whose init and program are made up. */
  private static void writeStatus(RunDirectory run, RunStatus status, String detail)
      throws IOException {
    run.writeState(new RunState(status, 10, 1, 11, 9, 0, 0, Instant.now().toString(), detail));
  }

  @Test
  void aRunDirectoryIsPrivateAndKeepsItsSpec() throws Exception {
    RunDirectory run = new Runs(store).create(spec("web"));

    assertThat(Files.getPosixFilePermissions(run.path()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(run.path().resolve("run.json")))
        .as("it holds the environment")
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(run.stdout()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(run.controlDir()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(run.spec()).isEqualTo(spec("web").withCreatedAt(run.spec().createdAt()));
    assertThat(new Runs(store).find("web").path()).isEqualTo(run.path());
  }

  @Test
  void aNameIsTakenUntilItsRunHasEnded() throws Exception {
    Runs runs = new Runs(store);
    RunDirectory first = runs.create(spec("web"));
    writeStatus(first, RunStatus.RUNNING, null);

    assertThatThrownBy(() -> runs.create(spec("web")))
        .isInstanceOf(RunNameTakenException.class)
        .hasMessageContaining("'web' is in use by a program that is running");

    writeStatus(first, RunStatus.STOPPED, "stopped");
    RunDirectory second = runs.create(spec("web"));
    assertThat(second.state())
        .as("a new run starts afresh")
        .hasValueSatisfying(state -> assertThat(state.status()).isEqualTo(RunStatus.STARTING));
  }

  @Test
  void unknownAndMalformedNamesAreNotFound() {
    assertThatThrownBy(() -> new Runs(store).find("nope"))
        .isInstanceOf(RunNotFoundException.class)
        .hasMessage("no program named 'nope' runs under cryo");
    assertThatThrownBy(() -> new Runs(store).find("../etc"))
        .isInstanceOf(RunNotFoundException.class);
    assertThat(Runs.invalidNameReason("a/b")).isPresent();
    assertThat(Runs.invalidNameReason("web-1")).isEmpty();
  }

  @Test
  void anOrphanIsARunThatHasNotEndedWithoutALiveSupervisor() throws Exception {
    Runs runs = new Runs(store);
    RunDirectory run = runs.create(spec("web"));
    writeStatus(run, RunStatus.CHECKPOINTING, null);
    assertThat(runs.orphans()).extracting(RunDirectory::name).containsExactly("web");

    var lock = run.lockAsSupervisor().orElseThrow();
    try {
      assertThat(run.isSupervised()).isTrue();
    } finally {
      lock.channel().close();
    }
    writeStatus(run, RunStatus.EXITED, "exited");
    assertThat(runs.orphans()).as("an ended run needs nobody").isEmpty();
  }

  @Test
  void eventsAreReadBackInOrderAndALineCutShortByACrashIsSkipped() throws Exception {
    RunDirectory run = new Runs(store).create(spec("web"));
    run.events().append("started", "started it");
    run.events().append("checkpointed", "checkpoint c1", "c1");
    Files.writeString(
        run.path().resolve("events.jsonl"), "{\"time\":\"2026", StandardOpenOption.APPEND);

    List<Event> events = run.events().read();

    assertThat(events).extracting(Event::type).containsExactly("started", "checkpointed");
    assertThat(events.get(1).checkpoint()).isEqualTo("c1");
  }

  @Test
  void aRecordedStandbyIsFoundOnlyWhileItsPidNamesTheSameProcess() throws Exception {
    RunDirectory run = new Runs(store).create(spec("web"));
    int self = (int) ProcessHandle.current().pid();
    assertThat(run.standbyPid()).as("nothing recorded yet").isEmpty();

    run.recordStandby(self);
    assertThat(run.standbyPid()).as("the recorded process is alive").hasValue(self);
    assertThat(Files.getPosixFilePermissions(run.path().resolve("standby")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Files.writeString(run.path().resolve("standby"), self + " 12345\n");
    assertThat(run.standbyPid())
        .as("a PID whose process started at another time is someone else's")
        .isEmpty();

    run.forgetStandby();
    assertThat(run.path().resolve("standby")).doesNotExist();
  }
}
