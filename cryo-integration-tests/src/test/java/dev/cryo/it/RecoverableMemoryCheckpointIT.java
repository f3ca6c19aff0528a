package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A recoverable memory region (cryo-recoverable-memory) registered as a checkpoint resource, in a
 * JVM checkpointed and restored by the real cryo and CRIU: after a crash, a restore from the older
 * image has every transaction committed before the crash, and the application is told how many came
 * after the checkpoint.
 */
class RecoverableMemoryCheckpointIT extends RealProcessTest {
  private static final String HOME = CryoCli.HOME.toString();

  enum Mode {
    PROCESS_CRASH,
    MACHINE_CRASH
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRestoreFromAnOlderImageKeepsEveryCommitMadeBeforeTheCrash(Mode mode) throws Exception {
    String classpath =
        String.join(
            File.pathSeparator,
            RuntimeApps.EXAMPLES.toAbsolutePath().toString(),
            HOME + "/cryo-recoverable-memory/target/cryo-recoverable-memory.jar",
            HOME + "/cryo-recoverable-memory-runtime/target/cryo-recoverable-memory-runtime.jar");
    Path file = tmp.resolve("counter.region");
    CounterClient service =
        processes.startService(
            "counter",
            Processes.javaBinary(),
            RuntimeApps.withAgent(),
            List.of(
                "-cp",
                classpath,
                "dev.cryo.testprograms.memory.RecoverableMemoryService",
                "PORT",
                file.toString(),
                mode.name()),
            "/value");
    for (int i = 0; i < 5; i++) {
      service.get("/commit");
    }

    cryo.run("checkpoint", Long.toString(service.pid()), "--name", "counter", "--leave-running")
        .assertOk();
    assertThat(service.text("/reconciliation"))
        .as("the original resumed, with nothing to catch up")
        .isEqualTo("5 5 resumed");
    for (int i = 0; i < 3; i++) {
      service.get("/commit");
    }
    service.process().destroyForcibly();
    assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).as("the crash").isTrue();

    CryoCli.Result restored = cryo.run("restore", "counter").assertOk();
    processes.track(Long.parseLong(restored.firstLine()));

    assertThat(service.get("/value"))
        .as("every commit made before the crash, not only before the checkpoint")
        .isEqualTo(8);
    assertThat(service.text("/reconciliation"))
        .as("the application is told: sequence at checkpoint, now")
        .isEqualTo("5 8 restored");
    assertThat(service.get("/commit")).isEqualTo(9);
  }
}
