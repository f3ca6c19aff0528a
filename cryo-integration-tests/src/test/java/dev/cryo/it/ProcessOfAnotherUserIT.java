package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.linux.HostFacts;
import dev.cryo.linux.LinuxProcess;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tree with a process running as another user, on a machine where cryo lacks CAP_SYS_RESOURCE
 * (root in a container that drops it): CRIU could not read that process's resource limits, so cryo
 * refuses the checkpoint before it freezes anything, in one line that says why and what to do.
 */
class ProcessOfAnotherUserIT extends RealProcessTest {
  private static final int NOBODY = 65534;

  @BeforeEach
  void onlyWithoutCapSysResource() {
    Assumptions.assumeFalse(
        HostFacts.canReadResourceLimitsOfOthers(HostFacts.effectiveCapabilities()),
        "this machine grants CAP_SYS_RESOURCE, with which CRIU reads the resource limits of any user's process: "
            + "there is no refusal to see here");
  }

  @Test
  void aChildRunningAsNobodyIsRefusedInOneLineAndTheTreeKeepsRunningUnfrozen() throws Exception {
    Process shell =
        processes.startDetached(
            tmp.resolve("tree.log"),
            "sh",
            "-c",
            "setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 600 & wait");
    int root = (int) shell.pid();
    int child = awaitChildRunningAsNobody(root);

    CryoCli.Result result = cryo.run("checkpoint", Integer.toString(root));

    assertThat(result.exitCode())
        .as(result.describe("exit 6, CRIU cannot checkpoint this tree"))
        .isEqualTo(6);
    assertThat(result.stderrLines())
        .as(result.describe("exactly one line on stderr, no stack trace"))
        .hasSize(1);
    assertThat(result.stderr())
        .as("the line names the process, its user and the missing capability")
        .startsWith(
            "cryo: PID "
                + child
                + " (sleep) in the tree of PID "
                + root
                + " runs as user nobody (uid 65534)")
        .contains("CAP_SYS_RESOURCE, which this cryo lacks")
        .contains("run cryo with CAP_SYS_RESOURCE");
    assertThat(result.stdout()).as("no checkpoint id printed").isEmpty();

    for (int pid : List.of(root, child)) {
      Optional<LinuxProcess> process = LinuxProcess.of(pid);
      assertThat(process).as("PID " + pid + " is still there").isPresent();
      assertThat(process.get().state())
          .as("PID " + pid + " runs: neither frozen (T) nor ended (Z)")
          .isNotIn('T', 't', 'Z', 'X');
    }
    assertThat(listing(cryo.store().resolve("checkpoints"))).as("no checkpoint stored").isEmpty();
    assertThat(listing(cryo.store().resolve("logs")))
        .as("CRIU was never asked, so it left no dump log")
        .isEmpty();
  }

  /** The PID of the root's child once it runs {@code sleep} as nobody. */
  private static int awaitChildRunningAsNobody(int root) throws InterruptedException {
    Processes.awaitTrue(
        "PID " + root + "'s child to run sleep as nobody (setpriv, from util-linux)",
        Duration.ofSeconds(10),
        () -> childRunningSleepAsNobody(root).isPresent());
    return childRunningSleepAsNobody(root).orElseThrow();
  }

  private static Optional<Integer> childRunningSleepAsNobody(int root) {
    return LinuxProcess.of(root).map(LinuxProcess::children).orElse(List.of()).stream()
        .filter(pid -> LinuxProcess.of(pid).map(p -> p.name().equals("sleep")).orElse(false))
        .filter(
            pid -> LinuxProcess.idsOf(pid).map(ids -> ids.effectiveUid() == NOBODY).orElse(false))
        .findFirst();
  }

  private static List<Path> listing(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }
}
