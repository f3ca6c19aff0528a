package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.criu.CriuImages;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checkpoint and restore of real processes through the real CLI and the real CRIU. */
class CheckpointRestoreIT extends RealProcessTest {

  @Test
  void aKilledJvmComesBackWithItsCounterAndServesAgain() throws Exception {
    CounterClient server = counterServerCountedTo(3);

    checkpoint(server, "counter");
    awaitEnded(server);
    assertThatThrownBy(server::count)
        .as("nothing serves while the JVM is gone")
        .isInstanceOf(Exception.class);

    long pid = restore("counter");

    assertThat(pid).as("the restored JVM keeps its PID").isEqualTo(server.pid());
    assertThat(server.count()).as("counter after restore").isEqualTo(3);
    assertThat(server.increment()).as("the listening socket serves again").isEqualTo(4);
  }

  @Test
  void withLeaveRunningTheOriginalServesOnAndARestoreBringsBackTheCheckpointedState()
      throws Exception {
    CounterClient server = counterServerCountedTo(2);

    checkpoint(server, "two", "--leave-running");

    assertThat(server.process().isAlive()).as("original alive after --leave-running").isTrue();
    assertThat(server.increment()).as("the original keeps counting").isEqualTo(3);
    assertThat(server.increment()).isEqualTo(4);

    server.process().destroyForcibly();
    awaitEnded(server);
    restore("two");

    assertThat(server.count()).as("state as it was at the checkpoint").isEqualTo(2);
    assertThat(server.increment()).isEqualTo(3);
  }

  @Test
  void anEstablishedClientConnectionKeepsWorkingAcrossCheckpointAndRestore() throws Exception {
    CounterClient server = processes.startCounterServer();
    try (CounterClient.Connection connection = server.connect()) {
      assertThat(connection.get("/increment")).isEqualTo(1);
      assertThat(connection.get("/increment")).isEqualTo(2);

      checkpoint(server, "tcp");
      awaitEnded(server);
      restore("tcp");

      assertThat(connection.get("/increment"))
          .as("the same TCP connection after restore")
          .isEqualTo(3);
      assertThat(connection.get("/count")).isEqualTo(3);
    }
  }

  @Test
  void aShellLoopThatIsNotAJvmRoundTripsWithItsChildProcesses() throws Exception {
    Path counterFile = tmp.resolve("numbers.txt");
    Process loop =
        processes.startDetached(
            tmp.resolve("loop.log"),
            "sh",
            "-c",
            "i=0; while :; do i=$((i+1)); echo $i >> '" + counterFile + "'; sleep 0.1; done");
    Processes.awaitTrue(
        "the loop to write 5 lines", Duration.ofSeconds(20), () -> lines(counterFile).size() >= 5);

    cryo.run("checkpoint", Long.toString(loop.pid()), "--name", "loop").assertOk();
    assertThat(loop.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int atCheckpoint = lines(counterFile).size();
    Thread.sleep(300);
    assertThat(lines(counterFile))
        .as("nothing writes while the loop is checkpointed")
        .hasSize(atCheckpoint);

    restore("loop");
    Processes.awaitTrue(
        "the restored loop to write 5 more lines",
        Duration.ofSeconds(20),
        () -> lines(counterFile).size() >= atCheckpoint + 5);

    List<String> numbers = lines(counterFile);
    for (int i = 0; i < numbers.size(); i++) {
      assertThat(numbers.get(i))
          .as("line %d: the shell's variable continued, it did not restart", i + 1)
          .isEqualTo(Integer.toString(i + 1));
    }
  }

  @Test
  void listAndInspectShowTheCheckpointAndDeleteRemovesIt() throws Exception {
    CounterClient server = processes.startCounterServer();
    String id =
        cryo.run("checkpoint", Long.toString(server.pid()), "--name", "shown", "--leave-running")
            .assertOk()
            .firstLine();

    assertThat(cryo.run("list").assertOk().stdout())
        .contains(id)
        .contains("shown")
        .contains(Long.toString(server.pid()));
    String manifest = cryo.run("inspect", "shown").assertOk().stdout();
    assertThat(manifest)
        .contains("\"id\" : \"" + id + "\"")
        .contains("\"kernel\"")
        .contains("\"criuVersion\"")
        .contains("\"cpuFlags\"")
        .contains("\"command\"")
        .contains("\"crc32c\"")
        .contains("\"imageBytes\"");
    assertThat(cryo.run("verify", id).assertOk().stdout()).contains("intact");

    cryo.run("delete", "shown").assertOk();
    assertThat(cryo.run("list").assertOk().stdout()).doesNotContain(id);
    assertThat(server.increment())
        .as("deleting a checkpoint leaves the process alone")
        .isEqualTo(1);
  }

  @Test
  void deletingACheckpointThatWasNeverRestoredReleasesCriusNetworkLock() throws Exception {
    CounterClient server = processes.startCounterServer();
    try (CounterClient.Connection connection = server.connect()) {
      connection.get("/increment");
      String id =
          cryo.run("checkpoint", Long.toString(server.pid()), "--name", "abandoned")
              .assertOk()
              .firstLine();
      String table =
          CriuImages.networkLockTable(
              CriuImages.dumpRunId(
                      cryo.store().resolve("checkpoints").resolve(id).resolve("images"))
                  .orElseThrow());
      assertThat(nftTables())
          .as("CRIU keeps the connection locked until a restore")
          .contains(table);

      cryo.run("delete", "abandoned").assertOk();

      assertThat(nftTables())
          .as("nothing can restore it now, so the lock goes too")
          .doesNotContain(table);
    }
  }

  private static String nftTables() throws Exception {
    Process p = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  static List<String> lines(Path file) {
    try {
      return Files.exists(file)
          ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
          : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }
}
