package dev.cryo.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the integration tests that checkpoint real processes: a private directory, the real
 * CLI on an image store inside it, and the processes started, all killed when the test ends.
 */
abstract class RealProcessTest {
  @TempDir
  Path tmp;

  Processes processes;
  CryoCli cryo;

  @BeforeEach
  void startClean() {
    processes = new Processes(tmp);
    cryo = new CryoCli(tmp.resolve("store"));
  }

  @AfterEach
  void killWhatWasStarted() {
    processes.close();
  }
}
