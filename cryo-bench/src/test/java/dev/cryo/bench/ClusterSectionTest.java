package dev.cryo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.bench.cluster.ClusterProgram;
import dev.cryo.bench.cluster.FailoverBenchmark.Failover;
import dev.cryo.bench.cluster.FailoverBenchmark.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSectionTest {
  private static Failover failover(double detection, double fetch, double restore, double first) {
    return new Failover(
        "cryo-a",
        "cryo-b",
        "1.1 GiB",
        true,
        detection,
        fetch,
        fetch / 2,
        restore,
        first,
        detection + fetch + restore + first);
  }

  private static String render(List<Double> coldStarts) {
    return new ClusterSection(
            new BenchRun("scripts/bench --only cluster", false, 3, "Version: 4.2"),
            Duration.ofSeconds(6),
            Duration.ofSeconds(5),
            Duration.ofSeconds(12),
            List.of(
                new Result(
                    ClusterProgram.HEAP,
                    "HeapServer (cryo-test-programs)",
                    List.of(
                        failover(5600, 900, 1500, 100),
                        failover(5800, 800, 1400, 120),
                        failover(5700, 1000, 1600, 90)),
                    coldStarts)))
        .render();
  }

  @Test
  void theSectionIsDelimitedAndHasEveryTable() {
    String md = render(List.of(4000.0, 4200.0, 4100.0));

    assertThat(md)
        .as("delimited for the next run, with every table")
        .startsWith(ClusterSection.BEGIN)
        .endsWith(ClusterSection.END + "\n")
        .contains("## Cluster failover")
        .contains("### Where a failover's time goes")
        .contains("### Against a cold start")
        .contains("### Targets")
        .contains("### Reading")
        .contains("3 of 3 prefetched")
        .contains("--lease-ttl 6s");
  }

  @Test
  void aFailoverWithinTheTtlAndASecondAndFasterThanARestartMeetsBothTargets() {
    String md = render(List.of(4000.0, 4200.0, 4100.0));

    assertThat(md)
        .as("8,120 ms is more than 6 s + 1 s, and less than detection + cold start")
        .contains("failover ≤ lease TTL + 1 s (7,000 ms) | 8,120 ms | **no** |")
        .contains(
            "failover faster than detection + cold start | 8,120 ms against 9,800 ms | yes |");
  }

  @Test
  void aFailoverSlowerThanARestartIsRecordedAsNotMet() {
    String md = render(List.of(1000.0, 1000.0, 1000.0));

    assertThat(md)
        .as("a restart after the same detection would have been faster")
        .contains(
            "failover faster than detection + cold start | 8,120 ms against 6,700 ms | **no** |");
  }
}
