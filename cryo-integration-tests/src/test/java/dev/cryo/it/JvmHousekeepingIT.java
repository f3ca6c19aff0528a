package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the runtime does for every JVM around a checkpoint: random reseeding and timer correction.
 */
class JvmHousekeepingIT extends RealProcessTest {

  private CounterClient start(String java) throws Exception {
    return processes.startService(
        "housekeeping", java, RuntimeApps.withAgent(), RuntimeApps.participantService(), "/count");
  }

  private String restoreAndAsk(CounterClient service, String path) throws Exception {
    CryoCli.Result restored = cryo.run("restore", "random").assertOk();
    long pid = Long.parseLong(restored.firstLine());
    processes.track(pid);
    String answer = service.text(path);
    Processes.killAndWait(pid);
    return answer;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void twoRestoresOfOneImageDrawDifferentSecureRandomBytesAndUuids(String jdk, String java)
      throws Exception {
    CounterClient service = start(java);
    service.text("/random");
    cryo.run("checkpoint", Long.toString(service.pid()), "--name", "random").assertOk();
    assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    String[] first = restoreAndAsk(service, "/random").split(" ");
    String[] second = restoreAndAsk(service, "/random").split(" ");

    assertThat(second[0]).as("SecureRandom bytes of two restores on " + jdk).isNotEqualTo(first[0]);
    assertThat(second[1]).as("UUID.randomUUID() of two restores on " + jdk).isNotEqualTo(first[1]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aScheduledTaskIsDueAsLongAfterALateRestoreAsItWasAfterTheCheckpoint(String jdk, String java)
      throws Exception {
    CounterClient service = start(java);
    long delaySeconds = 6;
    service.text("/schedule?seconds=" + delaySeconds);
    cryo.run("checkpoint", Long.toString(service.pid()), "--name", "timer").assertOk();
    assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    // The image waits longer than the task's delay: without correction, it would fire at once.
    Thread.sleep(Duration.ofSeconds(delaySeconds + 3).toMillis());

    CryoCli.Result restored = cryo.run("restore", "timer").assertOk();
    processes.track(Long.parseLong(restored.firstLine()));

    String justAfter = service.text("/timer");
    assertThat(justAfter)
        .as("on " + jdk + ", right after the restore the task is still waiting (its delay in ms)")
        .matches("\\d+");
    assertThat(Long.parseLong(justAfter))
        .as("remaining delay in ms")
        .isPositive()
        .isLessThanOrEqualTo(delaySeconds * 1000);
    Processes.awaitTrue(
        "the task to fire",
        Duration.ofSeconds(60),
        () -> {
          try {
            return service.text("/timer").equals("fired");
          } catch (Exception e) {
            return false;
          }
        });
  }
}
