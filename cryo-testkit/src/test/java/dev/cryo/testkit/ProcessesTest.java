package dev.cryo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {
  @TempDir Path tmp;

  @Test
  void aDetachedProcessRunsInASessionOfItsOwnWithItsOutputInTheLog() throws Exception {
    Path log = tmp.resolve("echo.log");
    Files.writeString(log, "before\n");
    try (Processes processes = new Processes(tmp)) {
      Process p =
          processes.startDetached(log, "sh", "-c", "echo out; echo err >&2; ps -o sid= -p $$");
      assertThat(p.waitFor()).isZero();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines.subList(0, 3))
          .as("appended, both streams")
          .containsExactly("before", "out", "err");
      assertThat(Long.parseLong(lines.get(3).trim())).as("its own session").isEqualTo(p.pid());
    }
  }

  @Test
  void closingKillsWhatWasStartedAndTrackedWithTheirChildrenAndWaitsUntilTheyAreGone()
      throws Exception {
    Path log = tmp.resolve("sleep.log");
    long started;
    long tracked;
    long child;
    Process other = new ProcessBuilder("sleep", "600").start();
    try (Processes processes = new Processes(tmp)) {
      Process p = processes.startDetached(log, "sh", "-c", "sleep 600 & echo $!; wait");
      started = p.pid();
      Processes.awaitTrue(
          "the child's PID in the log",
          Duration.ofSeconds(10),
          () -> !Processes.read(log).isBlank());
      child = Long.parseLong(Processes.read(log).trim());
      tracked = other.pid();
      processes.track(tracked);
      assertThat(Processes.isAlive(started)).isTrue();
    }
    for (long pid : List.of(started, tracked)) {
      assertThat(Path.of("/proc", Long.toString(pid))).as("PID %d", pid).doesNotExist();
    }
    assertThat(Processes.isAlive(child)).as("the child, left to its new parent to reap").isFalse();
  }

  @Test
  void aForgottenPidIsLeftAlone() throws Exception {
    Process p = new ProcessBuilder("sleep", "600").start();
    try {
      try (Processes processes = new Processes(tmp)) {
        processes.track(p.pid());
        processes.forget(p.pid());
      }
      assertThat(p.isAlive()).isTrue();
    } finally {
      Processes.killAndWait(p.pid());
    }
    assertThat(Processes.isAlive(p.pid())).isFalse();
  }

  @Test
  void oneProcessCanBeKilledAndForgottenBeforeTheRest() throws Exception {
    try (Processes processes = new Processes(tmp)) {
      Process p =
          processes.start(Processes.detached(tmp.resolve("sleep.log"), List.of("sleep", "600")));
      processes.killAndForget(p.pid());
      assertThat(Path.of("/proc", Long.toString(p.pid()))).doesNotExist();
    }
  }

  @Test
  void aProcessIsDescribedByItsStateAndParent() {
    long self = ProcessHandle.current().pid();

    assertThat(Processes.describe(self))
        .startsWith("PID " + self + " java, state ")
        .contains("tracer 0")
        .contains("; its parent PID " + ProcessHandle.current().parent().orElseThrow().pid());
    assertThat(Processes.describe(Integer.MAX_VALUE))
        .startsWith("PID " + Integer.MAX_VALUE + " (gone)");
  }

  @Test
  void waitingForAPidThatStaysFailsWithWhatHoldsIt() {
    long self = ProcessHandle.current().pid();

    assertThatThrownBy(() -> Processes.awaitGone(self, Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PID " + self + " is still there");
    assertThatThrownBy(() -> Processes.awaitTrue("nothing", Duration.ZERO, () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessage("timed out after 0 s waiting for nothing");
  }

  @Test
  void theResidentSetOfThisJvmIsRead() throws Exception {
    assertThat(Processes.residentBytes(ProcessHandle.current().pid())).isGreaterThan(1 << 20);
  }

  @Test
  void aLogsTailIsItsLastThirtyLines() throws Exception {
    Path log = tmp.resolve("long.log");
    Files.write(log, IntStream.rangeClosed(1, 40).mapToObj(Integer::toString).toList());

    assertThat(Processes.tail(log).lines()).hasSize(30).startsWith("11").endsWith("40");
    assertThat(Processes.tail(tmp.resolve("none"))).startsWith("(no log: ");
    assertThat(Processes.read(tmp.resolve("none"))).isEmpty();
  }

  @Test
  void aFreePortCanBeBound() throws Exception {
    int port = Processes.freePort();
    try (ServerSocket s = new ServerSocket(port)) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }
}
