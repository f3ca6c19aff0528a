package dev.cryo.recoverable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a process that commits transactions as fast as it can with SIGKILL at random moments,
 * reopens its region each time, and checks that every commit it reported survived and that no part
 * of an uncommitted transaction is visible.
 *
 * <p>The number of kills per durability mode is {@code -Dcryo.torture.kills} (default 200 for
 * process-crash mode and a quarter of that for machine-crash mode, whose commits wait for the
 * disk). For the long run: {@code mvn -pl cryo-recoverable-memory verify -Dit.test=CrashTortureIT
 * -Dcryo.torture.kills=10000}.
 */
class CrashTortureIT {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Durability.class)
  void everyReportedCommitSurvivesAKillAndNoPartialTransactionIsVisible(Durability durability)
      throws Exception {
    int kills = Integer.getInteger("cryo.torture.kills", 200);
    if (durability == Durability.MACHINE_CRASH) {
      kills = Math.max(1, kills / 4);
    }
    Path file = tmp.resolve("torture-" + durability);
    long[] expectedSlot = new long[TortureWorkload.SLOTS];
    long verified = 0;
    long totalCommits = 0;
    Random random = new Random(Long.getLong("cryo.torture.seed", System.nanoTime()));
    for (int kill = 1; kill <= kills; kill++) {
      // A file, not a pipe: what the child wrote before dying is all there, whatever the timing.
      Path reports = tmp.resolve("reports-" + durability + ".txt");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xshare:auto",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xmx32m",
                  "-XX:-UsePerfData",
                  "-cp",
                  System.getProperty("cryo.torture.classpath"),
                  TortureWorkload.class.getName(),
                  file.toString(),
                  durability.name())
              .redirectOutput(reports.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      long start = System.nanoTime();
      if (random.nextInt(4) == 0) {
        sleepMillis(random.nextInt(150));
      } else {
        while (!Files.readString(reports, StandardCharsets.US_ASCII).startsWith("ready")
            && child.isAlive()
            && System.nanoTime() - start < 30_000_000_000L) {
          Thread.sleep(1);
        }
        sleepMillis(random.nextInt(30));
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue())
          .as("the workload ran until killed (kill %d)", kill)
          .isEqualTo(137);
      long lastReported = lastReport(reports);

      if (!Files.exists(file)) {
        continue;
      }
      try (RecoverableMemory region = RecoverableMemory.open(file)) {
        long committed = region.commitSequence();
        String where =
            "after kill "
                + kill
                + " ("
                + durability
                + ", last reported commit "
                + lastReported
                + ", region at "
                + committed
                + ")";
        assertThat(committed)
            .as("commit sequence never goes back, " + where)
            .isGreaterThanOrEqualTo(verified);
        assertThat(committed)
            .as("every reported commit is there, " + where)
            .isGreaterThanOrEqualTo(lastReported);
        assertThat(committed)
            .as("at most one commit beyond the last reported, " + where)
            .isLessThanOrEqualTo(Math.max(lastReported, verified) + 1);
        for (long seq = verified + 1; seq <= committed; seq++) {
          for (int slot : TortureWorkload.slotsOf(seq)) {
            expectedSlot[slot] = seq;
          }
        }
        byte[] actual = new byte[TortureWorkload.SLOT_SIZE];
        byte[] wanted = new byte[TortureWorkload.SLOT_SIZE];
        for (int slot = 0; slot < TortureWorkload.SLOTS; slot++) {
          region.get((long) slot * TortureWorkload.SLOT_SIZE, actual, 0, actual.length);
          if (expectedSlot[slot] == 0) {
            assertThat(actual)
                .as("slot %d was never written by a committed transaction, %s", slot, where)
                .containsOnly(0);
          } else {
            TortureWorkload.fill(wanted, expectedSlot[slot], slot);
            assertThat(actual)
                .as(
                    "slot %d holds exactly what commit %d wrote, %s",
                    slot, expectedSlot[slot], where)
                .isEqualTo(wanted);
          }
        }
        totalCommits += committed - verified;
        verified = committed;
      }
    }
    System.out.printf(
        "crash torture (%s): %d kills, %d commits verified%n", durability, kills, totalCommits);
    assertThat(totalCommits).as("the workload committed transactions between kills").isPositive();
  }

  /**
   * The last commit the child reported, or the sequence it reported at start, or -1. A last line
   * without its newline was cut by the kill half way through being written: it was never reported.
   */
  private static long lastReport(Path reports) throws IOException {
    long last = -1;
    String text = Files.readString(reports, StandardCharsets.US_ASCII);
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      String[] words = line.split(" ");
      if (words.length == 2
          && (words[0].equals("C") || words[0].equals("ready"))
          && words[1].matches("\\d+")) {
        last = Long.parseLong(words[1]);
      }
    }
    return last;
  }

  private static void sleepMillis(int millis) throws InterruptedException {
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }
}
