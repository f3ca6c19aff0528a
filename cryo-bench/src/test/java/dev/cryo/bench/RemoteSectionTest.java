package dev.cryo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.bench.harness.RestoreTrials;
import dev.cryo.bench.remote.RemoteBenchmark;
import dev.cryo.bench.remote.TransferLines.Transfer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteSectionTest {
  private static final long MIB = 1 << 20;

  private static Transfer push(long image, long uploaded, int newChunks, double seconds) {
    return new Transfer(image, uploaded, newChunks, 1000, seconds);
  }

  private static RemoteBenchmark.Transfers transfers() {
    long image = 300 * MIB;
    return new RemoteBenchmark.Transfers(
        "HeapServer, 256 MiB live",
        image,
        30,
        List.of(push(image, 130 * MIB, 1000, 10), push(image, 130 * MIB, 1000, 12)),
        List.of(12.0, 14.0),
        List.of(3.0, 3.2),
        List.of(4.0, 4.2),
        List.of(push(image, 130 * MIB, 1000, 9), push(image, 130 * MIB, 1000, 11)),
        List.of(11.0, 13.0),
        List.of(1.0, 1.2),
        List.of(2.0, 2.2),
        new RemoteBenchmark.Cpu(
            List.of(9.0, 10.0),
            List.of(6.0, 7.0),
            List.of(1.0, 1.0),
            List.of(1.0, 1.0),
            List.of(2.5, 2.5),
            List.of(0.2, 0.2)));
  }

  private static RemoteBenchmark.Series series(String label, String how, double laterShare) {
    long image = 600 * MIB;
    return new RemoteBenchmark.Series(
        label,
        how,
        List.of(
            push(image, 250 * MIB, 1000, 30),
            push(image, Math.round(image * laterShare), 50, 10),
            push(image, Math.round(image * laterShare), 50, 10)));
  }

  private static RemoteBenchmark.Restores restores() {
    RestoreTrials.CryoTrial local = new RestoreTrials.CryoTrial(450, 480, 50, 160, 100, "");
    RestoreTrials.CryoTrial remote = new RestoreTrials.CryoTrial(3450, 3480, 50, 160, 100, "");
    return new RemoteBenchmark.Restores(
        "Spring Boot 3.5.7 (examples/spring-counter, `-Xmx256m`)",
        130 * MIB,
        List.of(local),
        List.of(remote),
        List.of(new Transfer(130 * MIB, 30 * MIB, 1500, 1500, 2.9)));
  }

  private static String render() {
    return new RemoteSection(
            new BenchRun("scripts/bench --only remote", false, 2, "CRIU 4.2.1"),
            RemoteBenchmark.sizes(false),
            8,
            List.of(transfers()),
            List.of(
                series("Spring Boot 3.5.7 (examples/spring-counter)", "under the cryo agent", 0.15),
                series(
                    "HeapServer, 512 MiB live",
                    "under the cryo agent (a full collection before each checkpoint)",
                    0.05),
                series("HeapServer, 512 MiB live", "without the agent (a plain CRIU dump)", 0.04)),
            restores())
        .render();
  }

  @Test
  void rendersBetweenItsMarkers() {
    String md = render();

    assertThat(md).as("delimited for the next run").startsWith(RemoteSection.BEGIN);
    assertThat(md.strip()).endsWith(RemoteSection.END);
  }

  @Test
  void comparesPushAndPullRatesWithThePlainSdkMeasuredAlike() {
    String md = render();

    // 300 MiB over 11 s (median) against over 3.1 s.
    assertThat(md)
        .as("the throughput row, rates from the commands' own times")
        .contains(
            "| HeapServer, 256 MiB live | 300.0 MiB in 30 files | 29 MB/s (26–31) | 102 MB/s"
                + " (98–105) | **0.28×** |");
    assertThat(md)
        .as("a push far below the SDK misses its target")
        .contains(
            "`cryo push` ≥ 80% of the plain SDK's throughput | 29 MB/s against 102 MB/s: 28% |"
                + " **no** |");
  }

  @Test
  void judgesIncrementalPushesByTheMedianAfterTheFirst() {
    String md = render();

    assertThat(md)
        .as("the median of checkpoints 2..N, to a tenth below 10%")
        .contains("| **2–3, median** |  |  | **5.0% (5.0–5.0%)** |  |");
    assertThat(md)
        .as("the target for the heap under the agent")
        .contains(
            "under the agent: an incremental push uploads ≤ 10% of the image | 5.0% (median of"
                + " checkpoints 2–3) | yes |");
  }

  @Test
  void comparesTheRemoteRestoreWithTheLocalOneAndStatesProcessorTimePerGigabyte() {
    String md = render();

    assertThat(md).as("the remote restore row").contains("| 3,450 ms | 2,900 ms | **7.7×** |");
    // 9.5 s over 0.3146 GB.
    assertThat(md).as("processor time per GB").contains("| 30 s/GB (29–32) |");
  }
}
