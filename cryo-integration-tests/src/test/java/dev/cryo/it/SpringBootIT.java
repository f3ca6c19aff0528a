package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Spring Boot example (examples/spring-counter), unchanged but for org.crac on its class path,
 * run with the agent: checkpointed while serving, and checkpointed during startup with {@code
 * -Dspring.context.checkpoint=onRefresh}, on JDK 17 and the newest JDK.
 */
class SpringBootIT extends RealProcessTest {

  private static List<String> springOptions(String... more) {
    List<String> options = new ArrayList<>(RuntimeApps.withAgent(more));
    options.add("-Xmx256m");
    return options;
  }

  private static List<String> springMain() {
    return List.of(
        "-jar",
        RuntimeApps.SPRING.toAbsolutePath().toString(),
        "--server.port=PORT",
        "--server.address=127.0.0.1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aServingApplicationIsCheckpointedAndRestoredWithItsStateAndServesHttp(
      String jdk, String java) throws Exception {
    CounterClient app =
        processes.startService("spring", java, springOptions(), springMain(), "/count");
    for (int i = 0; i < 3; i++) {
      app.increment();
    }

    CryoCli.Result checkpoint =
        cryo.run("checkpoint", Long.toString(app.pid()), "--name", "spring").assertOk();
    assertThat(checkpoint.stderr())
        .as("Spring took part through org.crac")
        .doesNotContain("plain CRIU dump");
    assertThat(app.process().waitFor(30, TimeUnit.SECONDS))
        .as("the dump ends the original")
        .isTrue();
    CryoCli.Result restored = cryo.run("restore", "spring").assertOk();
    processes.track(Long.parseLong(restored.firstLine()));

    Processes.awaitTrue(
        "the restored application to serve", Duration.ofSeconds(30), () -> answers(app));
    assertThat(app.count()).as("state after restore on " + jdk).isEqualTo(3);
    assertThat(app.increment()).isEqualTo(4);
    assertThat(Processes.read(processes.logOf("spring", app)))
        .as("Spring stopped and restarted its lifecycle")
        .contains("Restarting Spring-managed lifecycle beans after JVM restore");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void withCheckpointOnRefreshTheImageIsTakenDuringStartupAndTheRestoreServes(
      String jdk, String java) throws Exception {
    int port = Processes.freePort();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(
        springOptions(
            "-Dspring.context.checkpoint=onRefresh",
            "-Dcryo.checkpoint.name=on-refresh",
            "-Dcryo.store=" + cryo.store(),
            "-Dcryo.command=" + CryoCli.BIN));
    command.addAll(
        List.of(
            "-jar",
            RuntimeApps.SPRING.toAbsolutePath().toString(),
            "--server.port=" + port,
            "--server.address=127.0.0.1"));
    var log = tmp.resolve("on-refresh.log");
    Process starting = processes.startDetached(log, command.toArray(String[]::new));

    assertThat(starting.waitFor(120, TimeUnit.SECONDS))
        .as("the JVM ends once its startup checkpoint is stored; log:\n" + Processes.read(log))
        .isTrue();
    Processes.awaitTrue(
        "checkpoint on-refresh to be listed", Duration.ofSeconds(60), () -> listed("on-refresh"));
    CryoCli.Result restored = cryo.run("restore", "on-refresh").assertOk();
    processes.track(Long.parseLong(restored.firstLine()));

    CounterClient app = new CounterClient(starting, port);
    Processes.awaitTrue(
        "the restored application to serve on " + jdk, Duration.ofSeconds(30), () -> answers(app));
    assertThat(app.increment()).as("a fresh application, ready after the restore").isEqualTo(1);
  }

  private boolean listed(String name) {
    try {
      return cryo.run("list").stdout().contains(name);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean answers(CounterClient app) {
    try {
      app.count();
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
