package dev.cryo.it;

import dev.cryo.checkpoint.NetworkLocks;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
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
