package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.StoredCheckpoint;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Killing the supervisor in the middle of a checkpoint loses nothing: the program keeps running, a
 * new supervisor ('cryo ps') finds it again, no half-written checkpoint is listed, and the previous
 * checkpoint is intact and restores.
 */
class SupervisorCrashIT extends SupervisedRunTest {
  /** Where in its checkpoint the supervisor dies. */
  enum Moment {
    /** The program's resources are preparing (one blocks for a while). */
    WHILE_THE_PROGRAM_PREPARES,
    /** CRIU holds the program frozen and writes its images (a large heap keeps it busy). */
    WHILE_CRIU_DUMPS,
    /** The program runs again; the images are being checksummed and published. */
    WHILE_THE_CHECKPOINT_IS_STORED
  }

  @ParameterizedTest
  @EnumSource(Moment.class)
  void killingTheSupervisorInTheMiddleOfACheckpointLosesNothing(Moment moment) throws Exception {
    int port = Processes.freePort();
    List<String> command =
        switch (moment) {
          case WHILE_THE_PROGRAM_PREPARES -> participantService(port, "-Ddemo.block=first:4000");
          case WHILE_CRIU_DUMPS, WHILE_THE_CHECKPOINT_IS_STORED ->
              participantService(
                  port, "-Xms700m", "-Xmx700m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC");
        };
    run("steady", List.of("--every", "12s", "--keep", "10"), command);
    CounterClient service = awaitServing(port, Duration.ofSeconds(60));
    service.increment();
    String previous = cryo.run("checkpoint", "steady").assertOk().firstLine();
    service.increment();
    int pid = state("steady").mainPid();
    long supervisor = state("steady").supervisorPid();

    Processes.awaitTrue(
        "the supervisor's own checkpoint to reach " + moment,
        Duration.ofSeconds(60),
        () -> reached(moment, pid, port));
    ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
    Processes.awaitTrue(
        "the supervisor to die",
        Duration.ofSeconds(10),
        () -> ProcessHandle.of(supervisor).isEmpty());
    Processes.awaitTrue("CRIU to finish", Duration.ofSeconds(60), () -> !criuIsRunning());

    CryoCli.Result ps = cryo.run("ps").assertOk();
    assertThat(ps.stdout())
        .as("the program is found again, running, with its PID")
        .containsPattern("steady\\s+" + pid + "\\s+running");
    assertThat(ps.stderr())
        .as("and gets a new supervisor")
        .contains("steady had lost its supervisor");
    awaitEvent("steady", "adopted", 0, Duration.ofSeconds(30));
    assertThat(service.count()).as("the program kept its state").isEqualTo(2);

    for (StoredCheckpoint listed : checkpointsOf("steady")) {
      assertThat(cryo.run("verify", listed.id()).exitCode())
          .as("every listed checkpoint is whole: %s", listed.id())
          .isZero();
    }
    assertThat(checkpointsOf("steady").stream().map(StoredCheckpoint::id))
        .as("the previous checkpoint is kept")
        .contains(previous);

    // The new supervisor restores the newest whole checkpoint taken before the kill: the previous
    // one, unless the interrupted one was completed, or the new supervisor took one since.
    long restored = count("steady", "restored");
    Instant killedAt = Instant.now();
    Processes.killAndWait(pid);
    String back = awaitEvent("steady", "restored", restored, Duration.ofSeconds(90)).checkpoint();
    String newest =
        checkpointsOf("steady").stream()
            .filter(c -> Instant.parse(c.manifest().createdAt()).isBefore(killedAt))
            .findFirst()
            .orElseThrow()
            .id();
    assertThat(back)
        .as("the new supervisor restores the newest whole checkpoint")
        .isEqualTo(newest);
    assertThat(service.count()).as("with its state").isEqualTo(back.equals(previous) ? 1 : 2);
  }

  private boolean reached(Moment moment, int pid, int port) {
    try {
      return switch (moment) {
        case WHILE_THE_PROGRAM_PREPARES ->
            CounterClient.at(port)
                    .text("/events")
                    .lines()
                    .filter(l -> l.equals("before first"))
                    .count()
                >= 2;
        case WHILE_CRIU_DUMPS -> tracerOf(pid) != 0;
        case WHILE_THE_CHECKPOINT_IS_STORED -> {
          if (tracerOf(pid) != 0) {
            dumped = true;
            yield false;
          }
          yield dumped;
        }
      };
    } catch (Exception e) {
      return false;
    }
  }

  /** Whether CRIU was seen holding the program (then the images are stored once it lets go). */
  private boolean dumped;

  private static int tracerOf(int pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
      if (line.startsWith("TracerPid:")) {
        return Integer.parseInt(line.substring(10).trim());
      }
    }
    return 0;
  }

  private static boolean criuIsRunning() {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.anyMatch(p -> p.info().command().map(c -> c.endsWith("/criu")).orElse(false));
    }
  }
}
