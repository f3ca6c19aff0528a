package dev.cryo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.StoredCheckpoint;
import dev.cryo.supervisor.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A supervised program that crashes comes back by itself, from its latest checkpoint. */
class CrashRecoveryIT extends SupervisedRunTest {
  private static final int KILLS = 20;

  @Test
  void aServiceKilledAtRandomMomentsComesBackEveryTimeWithTheStateOfItsLatestCheckpoint() throws Exception {
    int port = Processes.freePort();
    // --keep 10: retention must not delete the restored checkpoint before the test looks at it.
    run("crashy", List.of("--every", "1s", "--keep", "10"), coordinatedService(port));
    CounterServer service = awaitServing(port, Duration.ofSeconds(60));
    Random random = new Random();
    long previousPid = state("crashy").mainPid();
    for (int round = 1; round <= KILLS; round++) {
      assertThat(service.increment()).as("round %d: the counter carries on from the restored state", round)
          .isEqualTo(round);
      // Two checkpoints after the increment: the first may have been under way before it.
      long checkpointed = count("crashy", "checkpointed");
      awaitEvent("crashy", "checkpointed", checkpointed + 1, Duration.ofSeconds(60));
      Thread.sleep(random.nextInt(1500)); // any moment: often in the middle of the next checkpoint
      long restored = count("crashy", "restored");
      Instant killedAt = Instant.now();
      Processes.killAndWait(previousPid);

      Event back = awaitEvent("crashy", "restored", restored, Duration.ofSeconds(60));
      assertThat(service.count()).as("round %d: after kill -9 it serves the state its checkpoint held", round)
          .isEqualTo(round);
      StoredCheckpoint latest = latestBefore("crashy", killedAt.plusMillis(500));
      assertThat(back.checkpoint()).as("round %d: restored from the latest checkpoint taken before the kill (%s)",
          round, describeEvents("crashy")).isEqualTo(latest.id());
      long pid = state("crashy").mainPid();
      assertThat(pid).as("round %d: a new process", round).isNotEqualTo(previousPid);
      previousPid = pid;
    }
    assertThat(state("crashy").restarts()).isEqualTo(KILLS);
  }

  /** The newest checkpoint created before {@code moment}, of those still in the store. */
  private StoredCheckpoint latestBefore(String name, Instant moment) throws Exception {
    return checkpointsOf(name).stream()
        .filter(c -> Instant.parse(c.manifest().createdAt()).isBefore(moment))
        .findFirst().orElseThrow(() -> new AssertionError("no checkpoint before " + moment));
  }
}
