package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.ImageStore;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A checkpoint of a supervised program restores later even when its old PIDs are taken. */
class PidReuseIT extends SupervisedRunTest {
  private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

  @Test
  void aRestoreInALaterSessionSucceedsAfterTheOriginalPidsWereReusedByOtherProcesses()
      throws Exception {
    int port = Processes.freePort();
    run("first-session", List.of("--every", "1h"), participantService(port));
    CounterClient service = awaitServing(port, Duration.ofSeconds(60));
    service.increment();
    service.increment();
    service.increment();
    String checkpoint = cryo.run("checkpoint", "first-session").assertOk().firstLine();
    List<Integer> oldPids =
        ImageStore.openForReading(cryo.store()).resolve(checkpoint).manifest().source().pids();
    cryo.run("stop", "first-session").assertOk();

    List<Integer> taken = new ArrayList<>();
    for (int pid : oldPids.subList(0, Math.min(5, oldPids.size()))) {
      if (occupy(pid)) {
        taken.add(pid);
      }
    }
    assertThat(taken)
        .as("the original's PIDs, among them its root's, now belong to other processes")
        .contains(oldPids.get(0));

    CryoCli.Result later =
        cryo.run("restore", checkpoint, "--as", "second-session", "--every", "1h").assertOk();
    assertThat(later.firstLine()).isEqualTo("second-session");
    assertThat(awaitServing(port, Duration.ofSeconds(30)).count())
        .as("the restored state")
        .isEqualTo(3);
    for (int pid : taken) {
      assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse(""))
          .as("PID %d kept its new owner", pid)
          .endsWith("sleep");
    }
  }

  /** Starts a process that gets exactly {@code pid}, as root can arrange through ns_last_pid. */
  private boolean occupy(int pid) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      if (ProcessHandle.of(pid).isPresent()) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("").endsWith("sleep");
      }
      Files.writeString(LAST_PID, Integer.toString(pid - 1));
      Process sleeper = new ProcessBuilder("sleep", "600").start();
      processes.track(sleeper.pid());
      if (sleeper.pid() == pid) {
        return true;
      }
      sleeper.destroyForcibly();
    }
    return false;
  }
}
