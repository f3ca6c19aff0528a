package dev.cryo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.bench.load.LoadBenchmark;
import dev.cryo.bench.load.LoadBenchmark.Condition;
import dev.cryo.bench.load.LoadBenchmark.Trial;
import dev.cryo.bench.load.LoadClients;
import dev.cryo.bench.restore.Application;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadSectionTest {
  private static Trial trial(
      double throughput,
      double p99,
      double longest,
      List<Double> pauses,
      long resends,
      List<String> failedCheckpoints) {
    return new Trial(
        new LoadClients.Outcome(
            (int) (throughput * 20), throughput, 0, resends, 1.5, p99, longest, List.of()),
        20_000,
        pauses,
        1000.0 * pauses.size(),
        failedCheckpoints);
  }

  private static LoadBenchmark.Result plain() {
    Map<Condition, List<Trial>> trials = new EnumMap<>(Condition.class);
    trials.put(
        Condition.BASELINE,
        List.of(
            trial(2000, 20, 60, List.of(), 0, List.of()),
            trial(1900, 22, 70, List.of(), 0, List.of()),
            trial(2100, 21, 80, List.of(), 0, List.of())));
    trials.put(
        Condition.EVERY_SECOND,
        List.of(
            trial(1800, 30, 500, List.of(300.0, 420.0), 0, List.of()),
            trial(1700, 35, 520, List.of(400.0, 450.0, 380.0), 0, List.of()),
            trial(1900, 40, 480, List.of(410.0), 0, List.of())));
    return new LoadBenchmark.Result(Application.PLAIN, "JDK HTTP server", trials);
  }

  private static LoadBenchmark.Result spring() {
    Map<Condition, List<Trial>> trials = new EnumMap<>(Condition.class);
    trials.put(Condition.BASELINE, List.of(trial(300, 50, 200, List.of(), 0, List.of())));
    trials.put(
        Condition.EVERY_SECOND,
        List.of(
            trial(
                250, 160, 3100, List.of(500.0), 33, List.of("2026-12-02T06:46:11Z CRIU failed"))));
    return new LoadBenchmark.Result(Application.SPRING, "Spring Boot", trials);
  }

  private static String render() {
    return new LoadSection(
            new BenchRun("scripts/bench --only load", false, 3, "CRIU 4.2.1"),
            new LoadBenchmark.Lengths(Duration.ofSeconds(5), Duration.ofSeconds(20)),
            4,
            List.of(plain(), spring()))
        .render();
  }

  @Test
  void theSectionIsDelimitedForRewritingAndNamesItsCommandAndItsLoad() {
    String md = render();

    assertThat(md)
        .startsWith(LoadSection.BEGIN)
        .endsWith(LoadSection.END + "\n")
        .contains("## Checkpoints under load")
        .contains("Produced by `scripts/bench --only load`")
        .contains("3 trials")
        .contains("4 fresh-connection clients")
        .contains("4 keep-alive clients")
        .contains("for 20 s")
        .contains("warms it with 5 s")
        .contains("`cryo run --every 1h`");
  }

  @Test
  void eachProgramHasBothConditionsSideBySideWithTheirRatio() {
    String md = render();

    assertThat(md)
        .contains(
            "| figure | no checkpoints (`--every 1h`) | checkpoints every 1 s (`--every 1s`) | under "
                + "checkpoints / baseline |")
        .contains(
            "| throughput | 2,000 requests/s (1,900–2,100) | 1,800 requests/s (1,700–1,900) | **0.90×** |")
        .contains("| p99 | 21 ms (20–22) | 35 ms (30–40) | **1.7×** |")
        .contains("| checkpoints during the load | 0 (0–0) | 2 (1–3) |  |")
        .contains("| their longest pause | – | 420 ms (410–450) |  |")
        .contains(
            "| the program frozen (their pauses added up), share of the load | – | 4% (2–6%) |  |")
        .contains("| a checkpoint under way, share of the load | – | 10% (5–15%) |  |")
        .contains("| failed requests, all trials | 0 of 120,000 | 0 of 108,000 |  |")
        .contains("| failed checkpoints, all trials | 0 | 1 |  |")
        .contains("| keep-alive resends, all trials | 0 | 33 |  |");
  }

  @Test
  void targetsSayWhetherTheyAreMetWithTheFiguresBehindThem() {
    String md = render();

    assertThat(md)
        .contains(
            "| CounterServer: p99 under checkpoints every 1 s ≤ 2 × its baseline's | 35 ms against "
                + "21 ms: 1.7× | yes |")
        .contains(
            "| CounterServer: longest wait under checkpoints ≤ the longest pause + 100 ms | 500 ms against "
                + "420 ms + 100 ms | yes |")
        .contains(
            "| Spring Boot: p99 under checkpoints every 1 s ≤ 2 × its baseline's | 160 ms against 50 ms: 3.2× "
                + "| **no** |")
        .contains(
            "| Spring Boot: longest wait under checkpoints ≤ the longest pause + 100 ms | 3,100 ms against "
                + "500 ms + 100 ms | **no** |");
  }

  @Test
  void theReadingExplainsTheLongestWaitAndCountsFailures() {
    String md = render();

    assertThat(md)
        .contains("### Reading")
        .contains(
            "- **CounterServer.** 2 checkpoints during each 20 s load paused it for up to 420 ms")
        .contains(
            "A checkpoint was under way for 10% of the load and froze the program for 4% of it: the throughput "
                + "lost (10%) is more than the freezes")
        .contains("no client waited much longer than the program was frozen")
        .contains(
            "2,600 ms beyond the longest pause: a new connection that arrives while the program does not listen")
        .contains(
            "sends it again every second for its first 4 retries (`net.ipv4.tcp_syn_linear_timeouts`)")
        .contains("0 requests and 1 checkpoint failed across the trials")
        .contains(
            "- **Keep-alive connections, Spring Boot.** Under checkpoints, 33 keep-alive requests found their "
                + "connection closed by the server before an answer")
        .contains("6.6 per 1,000 answered requests, against 0.00 in the baseline (0).");
  }
}
