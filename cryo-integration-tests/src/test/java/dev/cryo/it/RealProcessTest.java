package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.checkpoint.NetworkLocks;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Base of the integration tests that checkpoint real processes: a private directory, the real CLI
 * on an image store inside it, and the processes started, all killed when the test ends, with
 * CRIU's network locks of checkpoints that were never restored.
 */
abstract class RealProcessTest {
  @TempDir Path tmp;

  Processes processes;
  CryoCli cryo;

  /**
   * For parameterized tests: the JDK running the tests and the newest installed one, by label and
   * java binary.
   */
  static Stream<Arguments> jdks() {
    return Jdks.baselineAndLatest().stream()
        .map(jdk -> Arguments.of(jdk.label(), jdk.java().toString()));
  }

  /**
   * Starts the counter server and counts to {@code count} on it: the state a checkpoint of it
   * should bring back.
   */
  CounterClient counterServerCountedTo(int count) throws Exception {
    CounterClient server = processes.startCounterServer();
    for (int i = 0; i < count; i++) {
      server.increment();
    }
    return server;
  }

  /** {@code cryo restore} with these arguments, which must succeed; the restored PID, tracked. */
  long restore(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("restore"));
    command.addAll(List.of(arguments));
    long pid = Long.parseLong(cryo.run(command.toArray(String[]::new)).assertOk().firstLine());
    processes.track(pid);
    return pid;
  }

  /**
   * Checkpoints the counter server as {@code name} with {@code options}, which ends it unless they
   * say to leave it running; the checkpoint's id.
   */
  String checkpoint(CounterClient server, String name, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("checkpoint", Long.toString(server.pid()), "--name", name));
    command.addAll(List.of(options));
    return cryo.run(command.toArray(String[]::new)).assertOk().firstLine();
  }

  /** Waits for the counter server to end, as CRIU or a kill ends it. */
  static void awaitEnded(CounterClient server) throws InterruptedException {
    assertThat(server.process().waitFor(30, TimeUnit.SECONDS))
        .as("the counter server ends")
        .isTrue();
  }

  /** Asserts that a command failed with {@code exitCode} and one line that has every fragment. */
  static void assertOneLineError(CryoCli.Result result, int exitCode, String... fragments) {
    assertThat(result.exitCode()).as(result.describe("exit " + exitCode)).isEqualTo(exitCode);
    assertThat(result.stderrLines()).as(result.describe("exactly one line on stderr")).hasSize(1);
    assertThat(result.stderr()).startsWith("cryo: ");
    for (String fragment : fragments) {
      assertThat(result.stderr()).contains(fragment);
    }
  }

  /** Flips the lowest bit of the byte at {@code offset} of {@code file}; the bytes it had. */
  static byte[] flipABit(Path file, int offset) throws IOException {
    byte[] original = Files.readAllBytes(file);
    byte[] damaged = original.clone();
    damaged[offset] ^= 0x01;
    Files.write(file, damaged);
    return original;
  }

  @BeforeEach
  void startClean() {
    processes = new Processes(tmp);
    cryo = new CryoCli(tmp.resolve("store"));
  }

  @AfterEach
  void killWhatWasStarted() throws Exception {
    processes.close();
    Path checkpoints = cryo.store().resolve("checkpoints");
    if (!Files.isDirectory(checkpoints)) {
      return;
    }
    try (Stream<Path> all = Files.list(checkpoints)) {
      all.forEach(
          checkpoint ->
              NetworkLocks.tableOf(checkpoint.resolve("images")).ifPresent(NetworkLocks::release));
    }
  }
}
