package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.cli.ExitCode;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several live copies of one checkpoint on one host, each in its own PID namespace, on its own
 * port.
 */
class ClonesIT extends SupervisedRunTest {
  @Test
  void twoCopiesOfOneCheckpointServeSideBySideEachInItsOwnPidNamespaceOnItsOwnPort()
      throws Exception {
    int port = Processes.freePort();
    run("original", List.of("--every", "1h"), participantService(port, "-Ddemo.rebind=true"));
    CounterClient original = awaitServing(port, Duration.ofSeconds(60));
    original.increment();
    original.increment();
    String checkpoint = cryo.run("checkpoint", "original").assertOk().firstLine();

    CryoCli.Result hijack = cryo.run("restore", checkpoint);
    assertThat(hijack.exitCode())
        .as(hijack.describe("a plain restore beside the running original is refused"))
        .isEqualTo(ExitCode.CONFLICT.code());
    assertThat(hijack.stderr())
        .contains("which is running; restore a copy beside it with --as NAME");
    assertThat(original.count()).as("and the original is untouched").isEqualTo(2);

    int clonePort = Processes.freePort();
    CryoCli.Result restored =
        cryo.run("restore", checkpoint, "--as", "copy", "-Ddemo.port=" + clonePort, "--every", "1h")
            .assertOk();
    assertThat(restored.firstLine()).isEqualTo("copy");
    CounterClient copy = awaitServing(clonePort, Duration.ofSeconds(30));

    assertThat(copy.count()).as("the copy starts from the checkpoint's state").isEqualTo(2);
    assertThat(cryo.run("logs", "copy", "--stderr").assertOk().stdout())
        .as("the copy writes to its own logs")
        .contains(checkpoint + ": restored");
    assertThat(cryo.run("logs", "original", "--stderr").assertOk().stdout())
        .as("not to the original's")
        .doesNotContain(checkpoint + ": restored");
    assertThat(original.increment()).as("the original carries on, on its own port").isEqualTo(3);
    assertThat(copy.count()).as("independently of the copy").isEqualTo(2);
    assertThat(copy.increment()).isEqualTo(3);
    assertThat(original.count()).isEqualTo(3);

    int originalPid = state("original").mainPid();
    int copyPid = state("copy").mainPid();
    assertThat(pidNamespace(originalPid))
        .as("each copy has its own PID namespace")
        .isNotEqualTo(pidNamespace(copyPid))
        .isNotEqualTo(pidNamespace((int) ProcessHandle.current().pid()));
    assertThat(namespacePid(originalPid))
        .as("where both have the same PID")
        .isEqualTo(namespacePid(copyPid));

    // Each still takes part in checkpoints on its own control socket: a checkpoint of each reaches
    // the right one.
    assertThat(cryo.run("checkpoint", "copy").assertOk().stderr()).contains("it keeps running");
    assertThat(cryo.run("checkpoint", "original").assertOk().stderr()).contains("it keeps running");
    assertThat(copy.text("/events"))
        .as("the copy was told of its own checkpoint")
        .contains("after first restored")
        .containsPattern("(?s)after first restored.*after first resumed");
    assertThat(
            original.text("/events").lines().filter(l -> l.equals("after first resumed")).count())
        .as("the original of its two")
        .isEqualTo(2);
    assertThat(cryo.run("ps").assertOk().stdout())
        .containsPattern("original\\s+" + originalPid + "\\s+running")
        .containsPattern("copy\\s+" + copyPid + "\\s+running");
  }

  @Test
  void aCopyOfAParticipantInAnotherLanguageMovesToItsOwnControlSocketAndTakesPartThere()
      throws Exception {
    Path participant = CryoCli.HOME.resolve("examples/python/cryo_participant.py");
    run("py", List.of("--every", "1h"), List.of("python3", participant.toString()));
    Path stdout = runDirectory("py").stdout();
    Processes.awaitTrue(
        "the participant to listen",
        Duration.ofSeconds(30),
        () -> Processes.read(stdout).contains("listening on"));
    String checkpoint = cryo.run("checkpoint", "py").assertOk().firstLine();
    cryo.run("restore", checkpoint, "--as", "py-copy", "--every", "1h").assertOk();

    String copyCheckpoint = cryo.run("checkpoint", "py-copy").assertOk().firstLine();
    String originalCheckpoint = cryo.run("checkpoint", "py").assertOk().firstLine();

    assertThat(logs("py-copy"))
        .as(
            "the copy moved its socket (CRYO_CONTROL_DIR, control_dir) and heard its own checkpoint")
        .contains("control socket moved to " + runDirectory("py-copy").controlDir())
        .contains("pending " + copyCheckpoint)
        .doesNotContain("pending " + originalCheckpoint);
    assertThat(logs("py"))
        .as("the original heard only its own")
        .contains("pending " + originalCheckpoint)
        .doesNotContain("pending " + copyCheckpoint);
  }

  private String logs(String name) throws Exception {
    return cryo.run("logs", name).assertOk().stdout();
  }

  private static String pidNamespace(int pid) throws Exception {
    return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "pid")).toString();
  }

  private static String namespacePid(int pid) throws Exception {
    return Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("NSpid:"))
        .findFirst()
        .orElseThrow()
        .replaceAll(".*\\s", "");
  }
}
