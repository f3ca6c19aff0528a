package dev.cryo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.bench.checkpoint.HeapSizeBenchmark;
import dev.cryo.bench.report.MachineThroughput;
import dev.cryo.bench.restore.Application;
import dev.cryo.bench.restore.FirstResponseBenchmark;
import dev.cryo.bench.restore.FirstResponseBenchmark.Start;
import dev.cryo.bench.restore.FirstResponseBenchmark.Way;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerformanceSectionTest {
  private static final long MIB = 1 << 20;

  private static FirstResponseBenchmark.Result spring() {
    List<Start> starts = new ArrayList<>();
    starts.add(new Start(Way.COLD, List.of(2400.0, 2500.0, 2600.0)));
    starts.add(new Start(Way.AOT_CACHE, List.of(1600.0, 1700.0, 1650.0)));
    starts.add(new Start(Way.CRIU, List.of(130.0, 140.0, 150.0)));
    starts.add(new Start(Way.CRYO, List.of(400.0, 420.0, 410.0)));
    starts.add(new Start(Way.CRYO_LAZY, List.of(20.0, 25.0, 24.0)));
    starts.add(new Start(Way.SUPERVISED, List.of(300.0, 320.0, 310.0)));
    starts.add(new Start(Way.STANDBY, List.of(12.0, 10.0, 11.0)));
    return new FirstResponseBenchmark.Result(
        Application.SPRING,
        "Spring Boot",
        160 * MIB,
        140 * MIB,
        100 * MIB,
        20 * MIB,
        90 * MIB,
        starts,
        new FirstResponseBenchmark.CryoRestore(
            List.of(300.0), List.of(30.0), List.of(120.0), List.of(80.0)),
        new FirstResponseBenchmark.SupervisedRestarts(
            List.of(250.0, 260.0, 270.0), List.of(3.0, 4.0, 5.0)));
  }

  private static HeapSizeBenchmark.Result heap(int live, double restore) {
    List<Double> r = List.of(restore, restore + 10, restore - 10);
    return new HeapSizeBenchmark.Result(
        live,
        (live + 50) * MIB,
        List.of(60.0),
        List.of(80.0),
        List.of(180.0),
        (live + 40) * MIB,
        List.of(66.0),
        List.of(70.0),
        List.of(400.0),
        List.of(600.0),
        (live + 30) * MIB,
        (live + 30) * MIB,
        r,
        r,
        r,
        r);
  }

  private static String render(List<HeapSizeBenchmark.Result> heaps) {
    return new PerformanceSection(
            new BenchRun("scripts/bench", false, 3, "CRIU 4.2.1"),
            new MachineThroughput(6e9, 6e8, 2.4e9, 1 << 30),
            List.of(spring()),
            heaps)
        .render();
  }

  @Test
  void theSectionIsDelimitedForRewritingAndNamesItsCommand() {
    String md = render(List.of(heap(48, 600)));

    assertThat(md)
        .startsWith(PerformanceSection.BEGIN)
        .endsWith(PerformanceSection.END + "\n")
        .contains("Produced by `scripts/bench`")
        .contains("CRIU 4.2.1")
        .contains("3 trials");
  }

  @Test
  void everyStartIsARowWithItsRatioToTheColdStart() {
    String md = render(List.of(heap(48, 600)));

    assertThat(md)
        .contains(
            "| cold start, JDK " + Runtime.version().feature() + " | 2,500 ms (2,400–2,600) | 1 |")
        .contains("| `criu restore` of a plain `criu dump` | 140 ms (130–150) | **1/18** |")
        .contains("| `cryo restore --lazy-pages` | 24 ms (20–25) | **1/104** |");
  }

  @Test
  void targetsSayWhetherTheyAreMetWithTheFiguresBehindThem() {
    String md = render(List.of(heap(48, 600), heap(1920, 1500)));

    assertThat(md)
        .contains(
            "| Spring Boot: `cryo restore` to first response ≤ 1/50 of its cold start on JDK "
                + Runtime.version().feature()
                + " | 410 ms against 2,500 ms: 1/6.1 | **no** |")
        .contains(
            "| Spring Boot: `cryo run --standby` after `kill -9` to first response ≤ 1/50 of its"
                + " cold start on JDK "
                + Runtime.version().feature()
                + " | 11 ms against 2,500 ms: 1/227 | yes |")
        .contains(
            "| Spring Boot: resume of a standby (the supervisor's, to the runtime's answer once it"
                + " listens again) ≤ 1/200 of its cold start on JDK "
                + Runtime.version().feature())
        .contains("| Spring Boot: compressed image ≤ 15% of RSS | 13% | yes |")
        .contains("| Spring Boot: stored image ≤ 40% of RSS | 63% | **no** |")
        .contains("1,500 ms against 600 ms: 2.5× | **no** |");
  }

  @Test
  void theSupervisorsOwnPartOfARestartFollowsTheApplicationsTable() {
    String md = render(List.of(heap(48, 600)));

    assertThat(md)
        .as("the breakdown line of the restarts under cryo run")
        .contains(
            "`cryo run` after `kill -9`, medians: the supervisor's restore 260 ms of 310 ms to the"
                + " first response; with `--standby`: its resume 4 ms of 11 ms");
  }

  @Test
  void theReadingComparesWithTheMachinesLimitsAndTheRawBaselines() {
    String md = render(List.of(heap(48, 600), heap(1920, 1500)));

    assertThat(md)
        .contains("### Reading")
        .contains("A raw `criu restore` of Spring Boot answers in 140 ms, 1/18")
        .contains("against 6.0 GB/s for a plain memory copy")
        .contains("Every `cryo restore` is faster than")
        .contains("Against a raw dump followed by that flush");
  }

  @Test
  void imageSizesAreGivenAsAShareOfResidentMemory() {
    String md = render(List.of(heap(48, 600)));

    assertThat(md)
        .contains(
            "| Spring Boot | 160.0 MiB | 140.0 MiB | 88% | 100.0 MiB | 63% | 20.0 MiB (90.0 MiB before) | 13% |")
        .contains(
            "| HeapServer, 48 MiB live | 98.0 MiB | 88.0 MiB | 90% | 78.0 MiB | 80% | – | – |");
  }
}
