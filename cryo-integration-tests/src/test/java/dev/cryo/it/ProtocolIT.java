package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint protocol as any language speaks it (the Python participant in examples/python),
 * and its guard: only the process's own user and root may connect.
 */
class ProtocolIT extends RealProcessTest {
  private static final String PYTHON =
      Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  private static final Path PARTICIPANT =
      CryoCli.HOME.resolve("examples/python/cryo_participant.py");

  @Test
  void aPythonProcessSpeakingTheProtocolIsToldOfTheCheckpointAndRestored() throws Exception {
    Path log = tmp.resolve("participant.log");
    Process participant =
        processes.startDetached(
            log,
            "env",
            "CRYO_CONTROL_DIR=" + tmp.resolve("control"),
            PYTHON,
            PARTICIPANT.toString());
    Processes.awaitTrue(
        "the participant to listen",
        Duration.ofSeconds(30),
        () -> Processes.read(log).contains("listening"));

    CryoCli.Result checkpoint =
        cryo.run("checkpoint", Long.toString(participant.pid()), "--name", "python").assertOk();
    assertThat(checkpoint.stderr())
        .as("the Python process took part")
        .doesNotContain("plain CRIU dump");
    assertThat(participant.waitFor(30, TimeUnit.SECONDS)).as("the dump ends the original").isTrue();
    long pausedAt = counterAfter("pending", Processes.read(log));

    CryoCli.Result restored = cryo.run("restore", "python").assertOk();
    processes.track(Long.parseLong(restored.firstLine()));

    Processes.awaitTrue(
        "the restored participant to hear 'restored'",
        Duration.ofSeconds(30),
        () -> Processes.read(log).contains("restored "));
    assertThat(counterAfter("restored", Processes.read(log)))
        .as("the counter is where the checkpoint left it")
        .isEqualTo(pausedAt);
    assertThat(Processes.isAlive(Long.parseLong(restored.firstLine())))
        .as("and the process runs on")
        .isTrue();
  }

  @Test
  void aConnectionFromAnotherUserIsRefusedByTheRuntime() throws Exception {
    // A directory another user can reach, as if the private one had been opened up by mistake:
    // the peer check must hold on its own.
    Path control = Files.createTempDirectory(Path.of("/tmp"), "cryo-open-control");
    try {
      CounterClient service =
          processes.startService(
              "guarded",
              Processes.javaBinary(),
              RuntimeApps.withAgent("-Dcryo.control.dir=" + control),
              RuntimeApps.participantService(),
              "/count");
      Path socket = control.resolve(service.pid() + ".cryo.sock");
      Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

      String reply =
          runAsNobody(
              "import socket; s = socket.socket(socket.AF_UNIX); s.connect('"
                  + socket
                  + "'); "
                  + "s.sendall(b'{\"phase\":\"pending\",\"id\":\"intruder\",\"timeout_ms\":5000}\\n'); "
                  + "print(s.makefile().readline().strip())");

      assertThat(reply)
          .as("the runtime's answer to user nobody")
          .contains("\"phase\":\"error\"")
          .contains("may not control");
      assertThat(service.text("/events")).as("no resource was told anything").isEmpty();
      assertThat(service.increment()).as("the process serves on").isEqualTo(1);
    } finally {
      try (var files = Files.walk(control)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String runAsNobody(String pythonCode) throws Exception {
    Process p =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "/usr/bin/python3",
                "-c",
                pythonCode)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output.trim();
  }

  private static long counterAfter(String event, String log) {
    Matcher m = Pattern.compile(event + " \\S+ at counter (\\d+)").matcher(log);
    assertThat(m.find()).as("the participant logged '" + event + "':\n" + log).isTrue();
    return Long.parseLong(m.group(1));
  }
}
