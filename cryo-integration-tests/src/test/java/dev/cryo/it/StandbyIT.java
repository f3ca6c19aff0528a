package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.cli.ExitCode;
import dev.cryo.supervisor.Event;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@code cryo run --standby}: the newest checkpoint restored ahead of time and left stopped beside
 * the program, resumed in its place when it dies. The program is the participant service, which
 * closes its listener before each checkpoint as org.crac servers do.
 */
class StandbyIT extends SupervisedRunTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aStandbyStaysStoppedAndNeverAnswersWhileTheOriginalRuns() throws Exception {
    int port = Processes.freePort();
    run(
        "watched",
        List.of("--standby", "--every", "1s"),
        participantService(port, "-Ddemo.rebind=true"));
    CounterClient service = awaitServing(port, WAIT);
    int originalPid = state("watched").mainPid();
    int standbyPid = awaitStandby("watched", FileTime.fromMillis(0));
    assertThat(stoppedTree(standbyPid))
        .as("every process of the standby (PID " + standbyPid + ") is stopped")
        .isTrue();

    for (int expected = 1; expected <= 30; expected++) {
      assertThat(incrementAcrossCheckpoints(service))
          .as("request %d is answered by the original, whose count goes on", expected)
          .isEqualTo(expected);
    }

    assertThat(state("watched").mainPid()).as("the original still runs").isEqualTo(originalPid);
    int newest = awaitStandby("watched", FileTime.fromMillis(0));
    assertThat(stoppedTree(newest)).as("the newest standby is stopped too").isTrue();
    assertThat(count("watched", "resumed")).as("no standby was ever resumed").isZero();
    Processes.awaitTrue(
        "'cryo ps' to say that watched has a standby ready",
        WAIT,
        () -> psLine("watched").contains("standby ready (PID "));
  }

  @Test
  void aCrashIsAnsweredByResumingTheStandbyWithTheStateOfTheNewestCheckpoint() throws Exception {
    int port = Processes.freePort();
    run(
        "crashy",
        List.of("--standby", "--every", "1s"),
        participantService(port, "-Ddemo.rebind=true"));
    CounterClient service = awaitServing(port, WAIT);
    for (int i = 0; i < 5; i++) {
      incrementAcrossCheckpoints(service);
    }
    // The second checkpoint from now began after the increments: its standby has their state.
    long checkpointed = count("crashy", "checkpointed");
    awaitEvent("crashy", "checkpointed", checkpointed + 1, WAIT);
    FileTime afterIncrements = FileTime.fromMillis(System.currentTimeMillis());
    int standbyPid = awaitStandby("crashy", afterIncrements);
    int originalPid = state("crashy").mainPid();

    ProcessHandle.of(originalPid).orElseThrow().destroyForcibly();

    Event resumed = awaitEvent("crashy", "resumed", 0, WAIT);
    assertThat(resumed.message()).contains("resumed the standby of checkpoint");
    assertThat(awaitServing(port, WAIT).count())
        .as("the resumed standby serves the count of its checkpoint")
        .isEqualTo(5);
    assertThat(state("crashy").initPid())
        .as("the standby's tree is the program now")
        .isEqualTo(standbyPid);
    assertThat(count("crashy", "restored"))
        .as("no restore was needed (events: %s)", describeEvents("crashy"))
        .isZero();
    assertThat(service.increment()).as("and it carries on from there").isEqualTo(6);
  }

  @Test
  void aPreparedStandbyAnswersNothingUntilResumedThenServesTheCheckpointedState() throws Exception {
    CounterClient server = processes.startCounterServer();
    for (int i = 0; i < 3; i++) {
      server.increment();
    }
    cryo.run("checkpoint", Long.toString(server.pid()), "--name", "counter").assertOk();
    awaitEnded(server);

    int pid = Integer.parseInt(cryo.run("restore", "counter", "--prepare").assertOk().firstLine());
    processes.track(pid);
    assertThat(stoppedTree(pid)).as("the prepared standby is stopped").isTrue();
    assertThat(cryo.run("standby").assertOk().stdout())
        .containsPattern("counter\\s+" + pid + "\\s+stopped");
    try (Socket early = new Socket("127.0.0.1", server.port())) {
      early.setSoTimeout(500);
      early
          .getOutputStream()
          .write(
              "GET /count HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> early.getInputStream().read())
          .as("a stopped standby answers nothing")
          .isInstanceOf(SocketTimeoutException.class);

      assertThat(cryo.run("standby", "resume", "counter").assertOk().firstLine())
          .isEqualTo(Integer.toString(pid));

      early.setSoTimeout(20_000);
      String answer = new String(early.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(answer)
          .as("the request that waited is answered once it runs")
          .startsWith("HTTP/1.1 200");
    }
    assertThat(server.count()).as("with the checkpointed state").isEqualTo(3);
    assertThat(cryo.run("standby", "resume", "counter").exitCode())
        .as("a standby is resumed once")
        .isEqualTo(ExitCode.NOT_FOUND.code());
  }

  /**
   * Increments the counter; a request that meets the listener closed for a checkpoint is sent
   * again.
   */
  private static long incrementAcrossCheckpoints(CounterClient service) throws Exception {
    List<Exception> failures = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        return service.increment();
      } catch (IOException e) {
        failures.add(e);
        Thread.sleep(20);
      }
    }
    throw new AssertionError("no answer to /increment: " + failures.get(failures.size() - 1));
  }

  /** The line of {@code cryo ps} about the run {@code name}, empty if there is none. */
  private String psLine(String name) {
    try {
      return cryo.run("ps")
          .assertOk()
          .stdout()
          .lines()
          .filter(l -> l.startsWith(name + " "))
          .findFirst()
          .orElse("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits for the run's standby file, written after {@code after}, naming a standby that exists;
   * returns its PID.
   */
  private int awaitStandby(String name, FileTime after) throws Exception {
    Path record = runDirectory(name).path().resolve("standby");
    int[] pid = new int[1];
    Processes.awaitTrue(
        name + " to have a standby (events: " + describeEvents(name) + ")",
        WAIT,
        () -> {
          Optional<Integer> found = standbyPid(name, record, after);
          found.ifPresent(p -> pid[0] = p);
          return found.isPresent();
        });
    return pid[0];
  }

  private Optional<Integer> standbyPid(String name, Path record, FileTime after) {
    try {
      if (Files.getLastModifiedTime(record).compareTo(after) <= 0) {
        return Optional.empty();
      }
      OptionalInt pid = runDirectory(name).standbyPid();
      return pid.isPresent() ? Optional.of(pid.getAsInt()) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Whether the process and all its descendants are stopped (state T). */
  private static boolean stoppedTree(int root) throws Exception {
    List<Integer> tree = new ArrayList<>(List.of(root));
    for (int i = 0; i < tree.size(); i++) {
      String stat = Files.readString(Path.of("/proc", tree.get(i).toString(), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state != 'T') {
        return false;
      }
      Path children =
          Path.of("/proc", tree.get(i).toString(), "task", tree.get(i).toString(), "children");
      for (String child : Files.readString(children).trim().split("\\s+")) {
        if (!child.isEmpty()) {
          tree.add(Integer.parseInt(child));
        }
      }
    }
    return true;
  }
}
