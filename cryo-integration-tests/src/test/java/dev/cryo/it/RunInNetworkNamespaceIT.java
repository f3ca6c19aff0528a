package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.supervisor.OwnershipFence;
import dev.cryo.supervisor.ProgramTree;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.RunStatus;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run as a node places it: in a network namespace the test made (an address on its loopback, and
 * a pair of links inside it, nothing reaching outside), restored into that same namespace after a
 * crash, and ended for good once its ownership fence expires.
 */
class RunInNetworkNamespaceIT extends SupervisedRunTest {
  private static final String ADDRESS = "10.250.0.1";
  private static final int PORT = 8080;

  private String namespace;
  private Path fence;

  @BeforeEach
  void aNamespaceWithAnAddressOfItsOwn() throws Exception {
    namespace = "cryo-it-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    ip("netns", "add", namespace);
    ip("-n", namespace, "link", "set", "lo", "up");
    ip("-n", namespace, "addr", "add", ADDRESS + "/32", "dev", "lo");
    // Both ends inside the namespace: links that fencing must take down, and that reach nothing.
    ip("-n", namespace, "link", "add", "cryo-a", "type", "veth", "peer", "name", "cryo-b");
    ip("-n", namespace, "link", "set", "cryo-a", "up");
    ip("-n", namespace, "link", "set", "cryo-b", "up");
    fence = tmp.resolve("web.fence");
  }

  @AfterEach
  void deleteTheNamespace() throws Exception {
    killRunsAndSupervisors();
    if (namespace != null) {
      ip("netns", "delete", namespace);
    }
  }

  @Test
  void aProgramInANodesNamespaceComesBackIntoItAfterACrashAndStaysDownOnceFenced()
      throws Exception {
    OwnershipFence.extend(fence, Duration.ofHours(1));
    runs()
        .create(
            RunSpec.builder(
                    "web",
                    List.of(
                        Processes.javaBinary(),
                        "-Xmx64m",
                        "-cp",
                        RuntimeApps.EXAMPLES.toAbsolutePath().toString(),
                        "dev.cryo.testprograms.CounterServer",
                        Integer.toString(PORT),
                        ADDRESS))
                .workingDirectory(tmp.toString())
                .environment(System.getenv())
                .every(Duration.ofHours(1))
                .network("/run/netns/" + namespace)
                .fence(fence.toString())
                .build());
    cryo.start("supervise", "web");
    Processes.awaitTrue(
        "the counter server to answer in " + namespace,
        Duration.ofSeconds(60),
        () -> request("count").isPresent());
    for (int i = 1; i <= 3; i++) {
      assertThat(request("increment")).as("increment %d", i).hasValue(Integer.toString(i));
    }

    cryo.run("checkpoint", "web").assertOk();
    long killed = state("web").mainPid();
    Processes.killAndWait(killed);
    awaitEvent("web", "restored", 0, Duration.ofSeconds(60));

    assertThat(request("count"))
        .as("restored into the same namespace, with its state (events: %s)", describeEvents("web"))
        .hasValue("3");
    assertThat(request("increment")).as("and it counts on").hasValue("4");
    assertThat(state("web").mainPid()).as("a new process").isNotEqualTo(killed);

    ProgramTree program = ProgramTree.of(state("web"));
    OwnershipFence.extend(fence, Duration.ZERO);
    awaitEvent("web", "fenced", 0, Duration.ofSeconds(30));

    assertThat(state("web").status()).isEqualTo(RunStatus.FENCED);
    assertThat(program.isAlive()).as("the program's namespace was killed").isFalse();
    assertThat(ipOutput("-n", namespace, "-o", "link", "show"))
        .as("every link but lo set down")
        .allSatisfy(
            line -> {
              if (!line.contains(" lo:")) {
                assertThat(line).doesNotContain(",UP");
              }
            });
    assertThat(request("count")).as("nothing answers at the address").isEmpty();
    Processes.awaitTrue(
        "the supervisor to end", Duration.ofSeconds(30), () -> supervisors().isEmpty());
    Thread.sleep(1000);
    assertThat(state("web").status()).as("it stays fenced").isEqualTo(RunStatus.FENCED);
    assertThat(count("web", "restored")).as("never brought back").isEqualTo(1);
  }

  /** What the counter server answers to GET /PATH, from inside the namespace; empty if nothing. */
  private Optional<String> request(String path) {
    try {
      Process curl =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  namespace,
                  "curl",
                  "-s",
                  "--max-time",
                  "5",
                  "http://" + ADDRESS + ":" + PORT + "/" + path)
              .redirectErrorStream(true)
              .start();
      String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!curl.waitFor(10, TimeUnit.SECONDS) || curl.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
  }

  private static List<String> ipOutput(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().toList();
  }
}
