package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.StoredCheckpoint;
import dev.cryo.supervisor.Event;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A supervised program that crashes comes back by itself, from its latest checkpoint. */
class CrashRecoveryIT extends SupervisedRunTest {
  private static final int KILLS = 20;

  @Test
  void aServiceKilledAtRandomMomentsComesBackEveryTimeWithTheStateOfItsLatestCheckpoint()
      throws Exception {
    int port = Processes.freePort();
    // --keep 10: retention must not delete the restored checkpoint before the test looks at it.
    run("crashy", List.of("--every", "1s", "--keep", "10"), participantService(port));
    CounterClient service = awaitServing(port, Duration.ofSeconds(60));
    Random random = new Random();
    long previousPid = state("crashy").mainPid();
    for (int round = 1; round <= KILLS; round++) {
      assertThat(service.increment())
          .as("round %d: the counter carries on from the restored state", round)
          .isEqualTo(round);
      // Two checkpoints after the increment: the first may have been under way before it.
      long checkpointed = count("crashy", "checkpointed");
      awaitEvent("crashy", "checkpointed", checkpointed + 1, Duration.ofSeconds(60));
      Thread.sleep(random.nextInt(1500)); // any moment: often in the middle of the next checkpoint
      long restored = count("crashy", "restored");
      Instant killedAt = Instant.now();
      Processes.killAndWait(previousPid);

      Event back = awaitEvent("crashy", "restored", restored, Duration.ofSeconds(60));
      assertThat(service.count())
          .as("round %d: after kill -9 it serves the state its checkpoint held", round)
          .isEqualTo(round);
      StoredCheckpoint latest = latestBefore("crashy", killedAt.plusMillis(500));
      assertThat(back.checkpoint())
          .as(
              "round %d: restored from the latest checkpoint taken before the kill (%s)",
              round, describeEvents("crashy"))
          .isEqualTo(latest.id());
      long pid = state("crashy").mainPid();
      assertThat(pid).as("round %d: a new process", round).isNotEqualTo(previousPid);
      previousPid = pid;
    }
    assertThat(state("crashy").restarts()).isEqualTo(KILLS);
  }

  @Test
  void aProgramThatEndsAfterAnsweringPendingLeavesNoCheckpointOfItsInitAlone() throws Exception {
    // Answers the supervisor's pending with ready and exits at once, before CRIU can freeze it.
    Path quitter =
        Files.writeString(
            tmp.resolve("quitter.py"),
            String.join(
                "\n",
                "import json, os, socket",
                "directory = os.environ['CRYO_CONTROL_DIR']",
                "server = socket.socket(socket.AF_UNIX)",
                "server.bind(os.path.join(directory, '%d.cryo.sock' % os.getpid()))",
                "server.listen(1)",
                "connection, _ = server.accept()",
                "message = json.loads(connection.makefile().readline())",
                "connection.sendall((json.dumps({'phase': 'ready', 'id': message['id'], 'warnings': []}) + '\\n').encode())",
                "os._exit(0)",
                ""));
    run("quitter", List.of("--every", "3s"), List.of("python3", quitter.toString()));
    Path socket = runDirectory("quitter").controlDir().resolve("2.cryo.sock");
    Processes.awaitTrue(
        "the program's control socket", Duration.ofSeconds(30), () -> Files.exists(socket));
    // A stopped init cannot reap its program: CRIU finds the init with the program as a zombie,
    // as it does whenever the program dies just before the freeze, and would dump them.
    long init = state("quitter").initPid();
    signal("STOP", init);
    try {
      Event failed = awaitEvent("quitter", "checkpoint-failed", 0, Duration.ofSeconds(60));
      assertThat(failed.message())
          .as("the event names the program that ended, and that nothing was kept")
          .contains("PID " + state("quitter").mainPid() + " ended during the checkpoint")
          .contains("nothing was stored")
          .doesNotContain("keeps running");
    } finally {
      signal("CONT", init);
    }
    awaitEvent("quitter", "died", 0, Duration.ofSeconds(60));
    assertThat(checkpointsOf("quitter").stream().map(StoredCheckpoint::label))
        .as("no checkpoint of the tree without its program (events: %s)", describeEvents("quitter"))
        .isEmpty();
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }

  /** The newest checkpoint created before {@code moment}, of those still in the store. */
  private StoredCheckpoint latestBefore(String name, Instant moment) throws Exception {
    return checkpointsOf(name).stream()
        .filter(c -> Instant.parse(c.manifest().createdAt()).isBefore(moment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no checkpoint before " + moment));
  }
}
