package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A cryo that dies in the middle of a checkpoint costs neither the process nor the store. */
class InterruptedCheckpointIT extends RealProcessTest {
  @Test
  void killingCryoDuringADumpLeavesTheProcessRunningAndNoCheckpointListed() throws Exception {
    // A large pre-touched heap keeps CRIU busy long enough to be interrupted.
    CounterClient server =
        processes.startCounterServer("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    server.increment();
    Path staging = cryo.store().resolve(".staging");

    Process checkpoint =
        cryo.start("checkpoint", Long.toString(server.pid()), "--name", "interrupted");
    Processes.awaitTrue(
        "CRIU to start writing images", Duration.ofSeconds(60), () -> hasImageFiles(staging));
    checkpoint.destroyForcibly();
    assertThat(checkpoint.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Processes.awaitTrue("criu to give up", Duration.ofSeconds(60), () -> !criuIsRunning());

    assertThat(Processes.isAlive(server.pid()))
        .as("the process survives its interrupted checkpoint")
        .isTrue();
    assertThat(server.increment()).as("with its state").isEqualTo(2);
    assertThat(cryo.run("list").assertOk().stdout())
        .as("no half checkpoint is listed")
        .doesNotContain("interrupted");
    assertThat(cryo.run("restore", "interrupted").exitCode()).as("nor restorable").isEqualTo(3);

    cryo.run("checkpoint", Long.toString(server.pid()), "--name", "interrupted", "--leave-running")
        .assertOk();
    assertThat(listFiles(staging)).as("the next checkpoint clears what the dead one left").isZero();
  }

  private static boolean hasImageFiles(Path staging) {
    try (Stream<Path> files = Files.walk(staging)) {
      return files.anyMatch(p -> p.getParent().getFileName().toString().equals("images"));
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean criuIsRunning() {
    return Processes.criuProcesses().findAny().isPresent();
  }

  private static long listFiles(Path dir) throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.count();
    }
  }
}
