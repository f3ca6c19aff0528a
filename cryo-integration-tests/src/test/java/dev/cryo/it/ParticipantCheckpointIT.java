package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plain Java application with two registered resources, run with the agent on JDK 17 and the
 * newest JDK, checkpointed by the real cryo and CRIU: the checkpoint protocol end to end.
 */
class ParticipantCheckpointIT extends RealProcessTest {

  private CounterClient start(String java, String... properties) throws Exception {
    return processes.startService(
        "participant",
        java,
        RuntimeApps.withAgent(properties),
        RuntimeApps.participantService(),
        "/count");
  }

  private static List<String> events(CounterClient service) throws Exception {
    String text = service.text("/events");
    return text.isEmpty() ? List.of() : text.lines().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void resourcesAreToldInReverseOrderBeforeTheCheckpointAndInOrderAfterIt(String jdk, String java)
      throws Exception {
    CounterClient service = start(java);
    assertThat(service.text("/restored-at")).isEqualTo("never");

    CryoCli.Result result =
        cryo.run("checkpoint", Long.toString(service.pid()), "--leave-running").assertOk();

    assertThat(result.stderr())
        .as("a checkpoint with participants is not a plain dump")
        .doesNotContain("plain CRIU dump");
    assertThat(events(service))
        .as("notifications on " + jdk)
        .containsExactly(
            "before second", "before first", "after first resumed", "after second resumed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aThrowingResourceAbortsTheCheckpointAndTheProcessKeepsServing(String jdk, String java)
      throws Exception {
    CounterClient service = start(java, "-Ddemo.refuse=first");
    service.increment();

    CryoCli.Result result =
        cryo.run("checkpoint", Long.toString(service.pid()), "--name", "refused");

    assertThat(result.exitCode()).as(result.describe("exit code 10 (refused)")).isEqualTo(10);
    assertThat(result.stderrLines())
        .as("one line naming the resource and its reason")
        .anySatisfy(line -> assertThat(line).contains("first").contains("has work in flight"));
    assertThat(service.process().isAlive()).as("the process keeps running").isTrue();
    assertThat(service.increment()).as("and serving, with its state").isEqualTo(2);
    assertThat(events(service))
        .as("the resource prepared before the refusal was told the checkpoint was aborted")
        .containsExactly("before second", "before first", "after second aborted");
    assertThat(cryo.run("list").assertOk().stdout())
        .as("no checkpoint was stored")
        .doesNotContain("refused");
  }

  @Test
  void aResourceThatBlocksPastItsTimeoutIsReportedByName() throws Exception {
    CounterClient service =
        start(Processes.javaBinary(), "-Ddemo.block=first", "-Dcryo.resource.timeout=2s");

    CryoCli.Result result = cryo.run("checkpoint", Long.toString(service.pid()));

    assertThat(result.exitCode()).as(result.describe("exit code 10 (refused)")).isEqualTo(10);
    assertThat(result.stderr())
        .as("cryo names the resource and its timeout")
        .contains("first")
        .contains("2 s");
    assertThat(service.process().isAlive()).as("the process keeps running").isTrue();
    assertThat(service.increment()).as("and serving").isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aRestoredProcessIsToldItWasRestoredAndKeepsItsState(String jdk, String java)
      throws Exception {
    CounterClient service = start(java);
    service.increment();
    service.increment();

    cryo.run("checkpoint", Long.toString(service.pid()), "--name", "participant").assertOk();
    assertThat(service.process().waitFor(30, TimeUnit.SECONDS))
        .as("the dump ends the original")
        .isTrue();
    // The JVM's performance-data file is gone, as after a reboot or a /tmp clean-up.
    Files.deleteIfExists(
        Path.of(
            "/tmp/hsperfdata_" + System.getProperty("user.name"), Long.toString(service.pid())));
    CryoCli.Result restored = cryo.run("restore", "participant").assertOk();
    processes.track(Long.parseLong(restored.firstLine()));

    assertThat(service.count()).as("state after restore on " + jdk).isEqualTo(2);
    assertThat(Instant.parse(service.text("/restored-at")))
        .as("Cryo.lastRestore() in the restored process")
        .isAfter(Instant.now().minusSeconds(60));
    assertThat(events(service))
        .containsExactly(
            "before second", "before first", "after first restored", "after second restored");
    assertThat(service.increment()).isEqualTo(3);
  }

  @Test
  void aProcessWithoutTheRuntimeGetsAPlainDumpAndCryoSaysSo() throws Exception {
    CounterClient server = processes.startCounterServer();

    CryoCli.Result result =
        cryo.run("checkpoint", Long.toString(server.pid()), "--leave-running").assertOk();

    assertThat(result.stderr())
        .contains("does not run the Cryo runtime")
        .contains("plain CRIU dump");
  }

  @Test
  void withPlainAProcessThatRunsTheRuntimeIsDumpedWithoutBeingTold() throws Exception {
    CounterClient service = start(Processes.javaBinary());

    CryoCli.Result result =
        cryo.run("checkpoint", Long.toString(service.pid()), "--plain", "--leave-running")
            .assertOk();

    assertThat(result.stderr()).contains("plain CRIU dump, as asked");
    assertThat(events(service)).as("no resource was told anything").isEmpty();
    assertThat(service.increment()).isEqualTo(1);
  }

  @Test
  void aWarningNamesAnOpenTcpConnectionBeforeTheDump() throws Exception {
    CounterClient service = start(Processes.javaBinary());
    List<String> lines = new ArrayList<>();
    try (CounterClient.Connection kept = service.connect()) {
      kept.get("/count");
      CryoCli.Result result =
          cryo.run("checkpoint", Long.toString(service.pid()), "--leave-running").assertOk();
      lines.addAll(result.stderrLines());
      assertThat(kept.get("/increment"))
          .as("the kept connection still works after a leave-running checkpoint")
          .isEqualTo(1);
    }
    assertThat(lines)
        .as("cryo shows the runtime's warning about the open connection")
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("warning")
                    .contains("TCP connection")
                    .contains(":" + service.port())
                    .contains("registered with the selector"));
  }

  @Test
  void whenOneProcessOfATreeRefusesTheOthersAreToldTheCheckpointWasAborted() throws Exception {
    int childPort = Processes.freePort();
    int rootPort = Processes.freePort();
    String jvm =
        String.join(" ", RuntimeApps.withAgent())
            + " "
            + String.join(" ", RuntimeApps.participantService());
    String java = Processes.javaBinary();
    // The shell starts the refusing child, then becomes the root JVM: one tree, two participants.
    Process root =
        processes.startDetached(
            tmp.resolve("tree.log"),
            "sh",
            "-c",
            java
                + " -Ddemo.refuse=first "
                + jvm.replace("PORT", Integer.toString(childPort))
                + " & exec "
                + java
                + " "
                + jvm.replace("PORT", Integer.toString(rootPort)));
    CounterClient rootService = new CounterClient(root, rootPort);
    CounterClient childService = new CounterClient(root, childPort);
    Processes.awaitTrue(
        "both JVMs to serve",
        Duration.ofSeconds(60),
        () ->
            !eventsOrNull(rootService).equals("down")
                && !eventsOrNull(childService).equals("down"));

    CryoCli.Result result = cryo.run("checkpoint", Long.toString(root.pid()));

    assertThat(result.exitCode()).as(result.describe("exit code 10 (refused)")).isEqualTo(10);
    assertThat(result.stderr()).contains("refused").contains("has work in flight");
    assertThat(events(rootService))
        .as("the root, ready first, is told the checkpoint was aborted")
        .containsExactly(
            "before second", "before first", "after first aborted", "after second aborted");
    assertThat(events(childService))
        .as("the refusing child rolled its own resources back")
        .containsExactly("before second", "before first", "after second aborted");
    assertThat(rootService.increment()).isEqualTo(1);
    assertThat(childService.increment()).isEqualTo(1);
  }

  private static String eventsOrNull(CounterClient service) {
    try {
      return service.text("/events");
    } catch (Exception e) {
      return "down";
    }
  }

  @Test
  void aProcessWhoseCryoIsKilledDuringTheCheckpointResumesByItself() throws Exception {
    CounterClient service =
        start(Processes.javaBinary(), "-Ddemo.block=first:3000", "-Dcryo.resource.timeout=20s");
    Process checkpoint =
        cryo.start("checkpoint", Long.toString(service.pid()), "--name", "orphaned");
    Processes.awaitTrue(
        "the resources to be preparing",
        Duration.ofSeconds(30),
        () -> eventsOrEmpty(service).contains("before first"));

    checkpoint.destroyForcibly();
    checkpoint.waitFor();

    Processes.awaitTrue(
        "the process to give up on the vanished cryo and resume",
        Duration.ofSeconds(60),
        () -> eventsOrEmpty(service).contains("after second aborted"));
    assertThat(events(service))
        .containsExactly(
            "before second", "before first", "after first aborted", "after second aborted");
    assertThat(service.increment()).as("the process serves on").isEqualTo(1);
    assertThat(cryo.run("list").assertOk().stdout()).doesNotContain("orphaned");
  }

  private static List<String> eventsOrEmpty(CounterClient service) {
    try {
      return events(service);
    } catch (Exception e) {
      return List.of();
    }
  }

  @Test
  void theApplicationCheckpointsItselfAndContinuesWhenLeftRunning() throws Exception {
    CounterClient service =
        start(
            Processes.javaBinary(),
            "-Dcryo.checkpoint.leaveRunning=true",
            "-Dcryo.checkpoint.name=self",
            "-Dcryo.store=" + cryo.store(),
            "-Dcryo.command=" + CryoCli.BIN);
    service.increment();

    assertThat(service.text("/checkpoint"))
        .as("Cryo.checkpointRestore() returns in the original")
        .isEqualTo("RESUMED");

    assertThat(events(service))
        .containsExactly(
            "before second", "before first", "after first resumed", "after second resumed");
    assertThat(cryo.run("list").assertOk().stdout())
        .as("the checkpoint it asked for is stored")
        .contains("self");
    assertThat(service.increment()).isEqualTo(2);
  }

  @Test
  void anApplicationCheckpointThatCryoCannotTakeIsRefusedAndTheApplicationCarriesOn()
      throws Exception {
    CounterClient service =
        start(
            Processes.javaBinary(),
            "-Dcryo.checkpoint.name=taken",
            "-Dcryo.store=" + cryo.store(),
            "-Dcryo.command=" + CryoCli.BIN);
    CounterClient other = processes.startCounterServer();
    cryo.run("checkpoint", Long.toString(other.pid()), "--name", "taken", "--leave-running")
        .assertOk();

    String outcome = service.text("/checkpoint");

    assertThat(outcome)
        .as("the reason comes from cryo's own error line")
        .startsWith("refused: cryo checkpoint failed")
        .contains("taken");
    assertThat(events(service))
        .containsExactly(
            "before second", "before first", "after first aborted", "after second aborted");
    assertThat(service.increment()).isEqualTo(1);
  }
}
