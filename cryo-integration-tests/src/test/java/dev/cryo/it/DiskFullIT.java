package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.supervisor.RunStatus;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store that fills up during a checkpoint: a clear event, the previous checkpoint intact, the
 * program running.
 */
class DiskFullIT extends SupervisedRunTest {
  private Path mount;

  @Test
  void aDiskThatFillsUpDuringACheckpointIsAnEventAndCostsNothingElse() throws Exception {
    mount = tmp.resolve("small");
    Files.createDirectories(mount);
    exec("mount", "-t", "tmpfs", "-o", "size=160m,mode=0700", "tmpfs", mount.toString());
    cryo = new CryoCli(mount.resolve("store"));
    int port = Processes.freePort();
    // Checkpoints far enough apart that the disk fills between two of them, not during one.
    run("filling", List.of("--every", "5s", "--keep", "1"), participantService(port));
    CounterClient service = awaitServing(port, Duration.ofSeconds(60));
    service.increment();
    long before = count("filling", "checkpointed");
    awaitEvent("filling", "checkpointed", before + 1, Duration.ofSeconds(60));
    // Its retention done too: the space measured below is what the next checkpoint will find.
    Processes.awaitTrue(
        "the supervisor to finish the checkpoint",
        Duration.ofSeconds(30),
        () -> {
          try {
            return state("filling").status() == RunStatus.RUNNING;
          } catch (Exception e) {
            return false;
          }
        });
    int pid = state("filling").mainPid();

    Path filler = mount.resolve("filler");
    long leave = 8L << 20;
    try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
      file.setLength(Math.max(0, Files.getFileStore(mount).getUsableSpace() - leave));
      byte[] block = new byte[1 << 20];
      for (long written = 0; written < file.length(); written += block.length) {
        file.write(block); // tmpfs allocates pages as they are written
      }
    }
    var failed = awaitEvent("filling", "checkpoint-failed", 0, Duration.ofSeconds(60));
    // Read after the failure: a checkpoint under way while the disk filled may still have made it.
    String previous = checkpointsOf("filling").get(0).id();

    assertThat(failed.message())
        .as("the event says what went wrong and what to do")
        .containsIgnoringCase("space")
        .contains("free space in the image store")
        .contains("keeps running");
    assertThat(Processes.isAlive(pid)).as("the program keeps running").isTrue();
    assertThat(service.count()).as("with its state").isEqualTo(1);
    assertThat(checkpointsOf("filling").stream().map(c -> c.id()))
        .as("the previous checkpoint is kept")
        .contains(previous);
    assertThat(cryo.run("verify", previous).exitCode()).as("and intact").isZero();

    Files.delete(filler);
    long after = count("filling", "checkpointed");
    awaitEvent("filling", "checkpointed", after, Duration.ofSeconds(60));
    assertThat(state("filling").mainPid())
        .as("checkpoints resume once there is room")
        .isEqualTo(pid);
  }

  @AfterEach
  void unmount() throws Exception {
    killRunsAndSupervisors();
    if (mount != null) {
      exec("umount", "-l", mount.toString());
    }
  }

  private static void exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + output);
    }
  }
}
