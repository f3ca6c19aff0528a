package dev.cryo.bench;

import static dev.cryo.bench.report.Figures.number;
import static dev.cryo.bench.report.Figures.percentSpread;
import static dev.cryo.bench.report.Figures.ratio;
import static dev.cryo.bench.report.Figures.spread;
import static dev.cryo.bench.report.Figures.tableRow;
import static dev.cryo.bench.report.Figures.targetRow;

import dev.cryo.bench.load.LoadBenchmark;
import dev.cryo.bench.load.LoadBenchmark.Condition;
import dev.cryo.bench.load.LoadBenchmark.Trial;
import dev.cryo.bench.report.MachineFacts;
import dev.cryo.bench.report.Statistics;
import dev.cryo.bench.restore.Application;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The "checkpoints under load" section of BENCHMARKS.md, rendered from one run's figures: for each
 * program, what its clients saw with no checkpoint and with one every second, side by side with
 * their ratios; the targets with the figures that meet them or not; and a reading.
 *
 * @param synLinearRetries how many SYN retransmissions this machine's kernel sends one second apart
 *     ({@link MachineFacts#synLinearRetries()}), for the reading of a held connection's wait
 */
record LoadSection(
    BenchRun run,
    LoadBenchmark.Lengths lengths,
    int synLinearRetries,
    List<LoadBenchmark.Result> results) {
  static final String BEGIN =
      "<!-- cryo checkpoints under load benchmarks: begin (written by scripts/bench) -->";
  static final String END = "<!-- cryo checkpoints under load benchmarks: end -->";

  /** The worst wait allowed beyond the longest pause. */
  private static final double WAIT_MARGIN_MILLIS = 100;

  String render() {
    StringBuilder md =
        run.opening(
            BEGIN,
            "Checkpoints under load",
            " of each condition, the two alternating trial by trial; figures are the median (min–max) of the "
                + "trials', and every ratio compares medians from this run.",
            "one short trial of each, without warm-up; the figures only show that the harness runs.");
    method(md);
    for (LoadBenchmark.Result r : results) {
      table(md, r);
    }
    targets(md);
    reading(md);
    return md.append(END).append("\n").toString();
  }

  private void method(StringBuilder md) {
    md.append(
        String.format(
            Locale.ROOT,
            "Each trial starts the program afresh under `cryo run` (its own PID and time "
                + "namespaces, the cryo agent) on a free loopback port, %sand then loads it for %d s with cryo-test-programs' "
                + "`HttpLoad`, run in a JVM of its own: %d fresh-connection clients (`GET %s`, a new connection for every "
                + "request) and %d keep-alive clients (`GET %s` over one connection; a request whose connection the server "
                + "closed before answering is resent once on a new one, and counted). Every client sends its next request "
                + "when the last is answered, so the load is bounded by its length; a request's time runs from its first "
                + "attempt to its complete response, resends included, and a request that gets no 200 within 30 s fails. "
                + "The baseline is the same program under `cryo run --every %s`, so that no checkpoint happens during its "
                + "load and only the checkpoints differ; under checkpoints it runs with `--every %s`, which starts a "
                + "checkpoint one second after the last one ended. The "
                + "checkpoints during a load are those of the run's `checkpointed` events whose time span (the event's time "
                + "back to the start of its \"in all\") overlaps the load; their pause is the event's \"program paused\", "
                + "CRIU's freeze. Failed requests, failed checkpoints (`checkpoint-failed` events) and resends are totals "
                + "over the trials.%n%n",
            lengths.warmUp().isZero()
                ? ""
                : "warms it with "
                    + lengths.warmUp().toSeconds()
                    + " s of the same load "
                    + "(not measured; under checkpoints, also until the first checkpoint has been taken, at which the "
                    + "supervisor learns whether the program keeps its listeners: until then it holds new connections as "
                    + "for a program that closes them), ",
            lengths.load().toSeconds(),
            LoadBenchmark.FRESH_CLIENTS,
            LoadBenchmark.FRESH_PATH,
            LoadBenchmark.KEEP_ALIVE_CLIENTS,
            LoadBenchmark.KEEP_ALIVE_PATH,
            Condition.BASELINE.every,
            Condition.EVERY_SECOND.every));
  }

  private static String listeners(Application app) {
    return app.isSpringBoot()
        ? "stops its web server when told `pending`, closing its listener, and starts it again after the dump; "
            + "cryo holds new connections meanwhile (their SYNs are dropped, so their clients' TCP sends them again a second later)"
        : "keeps its listener and connections through a checkpoint; cryo holds no new connection";
  }

  private void table(StringBuilder md, LoadBenchmark.Result r) {
    md.append("**").append(r.label()).append("**: ").append(listeners(r.app())).append(".\n\n");
    md.append("| figure | ")
        .append(Condition.BASELINE.how)
        .append(" (`--every ")
        .append(Condition.BASELINE.every)
        .append("`) | ")
        .append(Condition.EVERY_SECOND.how)
        .append(" (`--every ")
        .append(Condition.EVERY_SECOND.every)
        .append("`) | under checkpoints / baseline |\n| --- | ---: | ---: | ---: |\n");
    row(md, r, "throughput", t -> t.load().throughput(), "requests/s", true);
    row(md, r, "p50", t -> t.load().p50Millis(), "ms", false);
    row(md, r, "p99", t -> t.load().p99Millis(), "ms", true);
    row(md, r, "longest wait (max)", t -> t.load().longestMillis(), "ms", false);
    row(md, r, "checkpoints during the load", t -> t.pausesMillis().size(), "", null);
    conditionsRow(md, r, "their longest pause", LoadSection::pauses);
    shareRow(
        md, r, "the program frozen (their pauses added up), share of the load", Trial::frozenShare);
    shareRow(md, r, "a checkpoint under way, share of the load", Trial::checkpointingShare);
    conditionsRow(md, r, "failed requests, all trials", LoadSection::failedRequests);
    totalRow(md, r, "failed checkpoints, all trials", t -> t.failedCheckpoints().size());
    totalRow(md, r, "keep-alive resends, all trials", t -> t.load().resends());
    md.append("\n");
  }

  /**
   * A row of medians with ranges for both conditions, with their ratio unless {@code bold} is null.
   */
  private static void row(
      StringBuilder md,
      LoadBenchmark.Result r,
      String figure,
      ToDoubleFunction<Trial> of,
      String unit,
      Boolean bold) {
    List<Double> baseline = values(r, Condition.BASELINE, of);
    List<Double> checkpointed = values(r, Condition.EVERY_SECOND, of);
    String ratio =
        bold == null ? "" : ratio(Statistics.median(checkpointed) / Statistics.median(baseline));
    tableRow(
        md,
        figure,
        spread(baseline, unit),
        spread(checkpointed, unit),
        bold == Boolean.TRUE ? "**" + ratio + "**" : ratio);
  }

  /** A row of one figure for each condition, without a ratio. */
  private static void conditionsRow(
      StringBuilder md,
      LoadBenchmark.Result r,
      String figure,
      BiFunction<LoadBenchmark.Result, Condition, String> of) {
    tableRow(md, figure, of.apply(r, Condition.BASELINE), of.apply(r, Condition.EVERY_SECOND), "");
  }

  /**
   * A row of the checkpoints' shares of the load's time, "–" for a condition without checkpoints.
   */
  private static void shareRow(
      StringBuilder md, LoadBenchmark.Result r, String figure, ToDoubleFunction<Trial> of) {
    conditionsRow(md, r, figure, (result, c) -> shares(result, c, of));
  }

  private static String shares(LoadBenchmark.Result r, Condition c, ToDoubleFunction<Trial> of) {
    return withoutCheckpoints(r, c) ? "–" : percentSpread(values(r, c, of));
  }

  private static boolean withoutCheckpoints(LoadBenchmark.Result r, Condition c) {
    return r.trials().get(c).stream().allMatch(t -> t.pausesMillis().isEmpty());
  }

  private static void totalRow(
      StringBuilder md, LoadBenchmark.Result r, String figure, ToLongFunction<Trial> of) {
    conditionsRow(md, r, figure, (result, c) -> Long.toString(total(result, c, of)));
  }

  private static String pauses(LoadBenchmark.Result r, Condition c) {
    return withoutCheckpoints(r, c) ? "–" : spread(values(r, c, Trial::longestPauseMillis));
  }

  private static String failedRequests(LoadBenchmark.Result r, Condition c) {
    long answered = total(r, c, t -> t.load().answered());
    long failed = total(r, c, t -> t.load().failed());
    return String.format(Locale.ROOT, "%,d of %,d", failed, answered + failed);
  }

  private static List<Double> values(
      LoadBenchmark.Result r, Condition c, ToDoubleFunction<Trial> of) {
    return r.trials().get(c).stream().map(t -> of.applyAsDouble(t)).toList();
  }

  private static long total(LoadBenchmark.Result r, Condition c, ToLongFunction<Trial> of) {
    return r.trials().get(c).stream().mapToLong(of).sum();
  }

  private static double median(LoadBenchmark.Result r, Condition c, ToDoubleFunction<Trial> of) {
    return Statistics.median(values(r, c, of));
  }

  private static String shortLabel(LoadBenchmark.Result r) {
    return r.app().isSpringBoot() ? "Spring Boot" : "CounterServer";
  }

  private void targets(StringBuilder md) {
    md.append("### Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
    for (LoadBenchmark.Result r : results) {
      double p99 = median(r, Condition.EVERY_SECOND, t -> t.load().p99Millis());
      double baseline = median(r, Condition.BASELINE, t -> t.load().p99Millis());
      targetRow(
          md,
          shortLabel(r) + ": p99 under checkpoints every 1 s ≤ 2 × its baseline's",
          String.format(
              Locale.ROOT,
              "%s against %s: %s",
              millis(p99),
              millis(baseline),
              ratio(p99 / baseline)),
          p99 <= 2 * baseline);
      double wait = median(r, Condition.EVERY_SECOND, t -> t.load().longestMillis());
      double pause = median(r, Condition.EVERY_SECOND, Trial::longestPauseMillis);
      targetRow(
          md,
          shortLabel(r) + ": longest wait under checkpoints ≤ the longest pause + 100 ms",
          String.format(Locale.ROOT, "%s against %s + 100 ms", millis(wait), millis(pause)),
          wait <= pause + WAIT_MARGIN_MILLIS);
    }
    md.append("\nTargets are recorded, not asserted; each compares medians of the trials.\n\n");
  }

  /**
   * A few sentences computed from this run's figures: what the checkpoints cost each program's
   * clients, what the longest wait is made of, and whether anything failed.
   */
  private void reading(StringBuilder md) {
    md.append("### Reading\n\n");
    for (LoadBenchmark.Result r : results) {
      double throughput =
          median(r, Condition.EVERY_SECOND, t -> t.load().throughput())
              / median(r, Condition.BASELINE, t -> t.load().throughput());
      double p99 = median(r, Condition.EVERY_SECOND, t -> t.load().p99Millis());
      double baselineP99 = median(r, Condition.BASELINE, t -> t.load().p99Millis());
      double checkpoints = median(r, Condition.EVERY_SECOND, t -> t.pausesMillis().size());
      double pause = median(r, Condition.EVERY_SECOND, Trial::longestPauseMillis);
      double wait = median(r, Condition.EVERY_SECOND, t -> t.load().longestMillis());
      double baselineWait = median(r, Condition.BASELINE, t -> t.load().longestMillis());
      double frozen = median(r, Condition.EVERY_SECOND, Trial::frozenShare);
      double checkpointing = median(r, Condition.EVERY_SECOND, Trial::checkpointingShare);
      md.append(
          String.format(
              Locale.ROOT,
              "- **%s.** %s during each %d s load paused it for up to %s; its clients got "
                  + "%s of the baseline's throughput, and its p99 went from %s to %s (%s). A checkpoint was under way for "
                  + "%s of the load and froze the program for %s of it",
              shortLabel(r),
              plural(checkpoints, "checkpoint"),
              lengths.load().toSeconds(),
              millis(pause),
              percentOf(throughput),
              millis(baselineP99),
              millis(p99),
              ratio(p99 / baselineP99),
              percentOf(checkpointing),
              percentOf(frozen)));
      if (1 - throughput > frozen + 0.05) {
        md.append(
            String.format(
                Locale.ROOT,
                ": the throughput lost (%s) is more than the freezes, since the rest of "
                    + "each checkpoint (the runtime's preparation, CRIU's dump, the checksums, writing and flushing the "
                    + "images) runs on the same %d cores as the program%s",
                percentOf(1 - throughput),
                Runtime.getRuntime().availableProcessors(),
                r.app().isSpringBoot()
                    ? ", and its web server is stopped from `pending` until it has started again"
                    : ""));
      }
      md.append(
          String.format(
              Locale.ROOT,
              ". The longest wait was %s, against %s without checkpoints",
              millis(wait),
              millis(baselineWait)));
      if (wait <= pause + WAIT_MARGIN_MILLIS) {
        md.append(": no client waited much longer than the program was frozen.");
      } else if (r.app().isSpringBoot() && wait >= 1000) {
        md.append(
            String.format(
                Locale.ROOT,
                ", %s beyond the longest pause: a new connection that arrives while the "
                    + "program does not listen has its SYN dropped, and the client's TCP sends it again %s, so the "
                    + "connection waits to the first retry after the hold ends; and the hold spans more than the freeze: the "
                    + "program's `pending` work before it (stopping its web server, the runtime's collection) and its "
                    + "server's start after it.",
                millis(wait - pause),
                synRetries()));
        if (p99 >= 1000) {
          md.append(
              String.format(
                  Locale.ROOT,
                  " More than 1%% of its requests met a hold: its p99 is %s.",
                  millis(p99)));
        }
      } else {
        md.append(
            String.format(
                Locale.ROOT,
                ", %s beyond the longest pause: the pause counts CRIU's freeze only, and "
                    + "a request that meets a checkpoint also waits for the runtime's collection before it, and for the "
                    + "requests queued behind the freeze after it.",
                millis(wait - pause)));
      }
      if (!r.app().isSpringBoot() && baselineP99 >= 40) {
        md.append(
            " Its keep-alive clients wait about 40 ms for every answer, with or without checkpoints: the JDK's "
                + "HTTP server writes a response's head and body separately with Nagle's algorithm on, so the body waits "
                + "for the client's delayed acknowledgement; its p99 is theirs, about 40 ms or more, in either condition.");
      }
      md.append("\n");
    }
    long failedRequests =
        results.stream()
            .mapToLong(
                r ->
                    total(r, Condition.EVERY_SECOND, t -> t.load().failed())
                        + total(r, Condition.BASELINE, t -> t.load().failed()))
            .sum();
    long failedCheckpoints =
        results.stream()
            .mapToLong(r -> total(r, Condition.EVERY_SECOND, t -> t.failedCheckpoints().size()))
            .sum();
    md.append(
        failedRequests == 0 && failedCheckpoints == 0
            ? "- **Failures.** No request and no checkpoint failed in any trial: every client got every answer, at "
                + "worst late.\n"
            : String.format(
                Locale.ROOT,
                "- **Failures.** %s and %s failed across the trials (the harness's output "
                    + "lists each, with its reason).%n",
                plural(failedRequests, "request"),
                plural(failedCheckpoints, "checkpoint")));
    for (LoadBenchmark.Result r : results) {
      long resent = total(r, Condition.EVERY_SECOND, t -> t.load().resends());
      long baselineResent = total(r, Condition.BASELINE, t -> t.load().resends());
      if (resent > 0 || baselineResent > 0) {
        md.append(
            String.format(
                Locale.ROOT,
                "- **Keep-alive connections, %s.** Under checkpoints, %s found their "
                    + "connection closed by the server before an answer and were resent on a new one, as HTTP clients do "
                    + "(RFC 9112, 9.3.1), their time including the resend: %s per 1,000 answered requests, against %s "
                    + "in the baseline (%,d).",
                shortLabel(r),
                plural(resent, "keep-alive request"),
                number(
                    1000.0 * resent / total(r, Condition.EVERY_SECOND, t -> t.load().answered())),
                number(
                    1000.0
                        * baselineResent
                        / total(r, Condition.BASELINE, t -> t.load().answered())),
                baselineResent));
        if (baselineResent > 0 && r.app().isSpringBoot()) {
          md.append(
              " The baseline's are Tomcat's: it ends a keep-alive connection after 100 requests, saying "
                  + "`Connection: close` in the hundredth answer, which `HttpLoad` does not read, so its next request "
                  + "finds the connection closed.");
        }
        md.append("\n");
      }
    }
    md.append("\n");
  }

  private static String millis(double millis) {
    return spread(List.of(millis));
  }

  /** When a client's TCP sends a dropped SYN again, on this machine. */
  private String synRetries() {
    return synLinearRetries > 0
        ? String.format(
            Locale.ROOT,
            "every second for its first %d retries (`net.ipv4.tcp_syn_linear_timeouts`), "
                + "then at doubling gaps",
            synLinearRetries)
        : "after 1 s, then at doubling gaps (2 s, 4 s...)";
  }

  /**
   * A count, a median perhaps, with its noun: {@code 1 checkpoint}, {@code 6 checkpoints}, {@code
   * 5.5 checkpoints}.
   */
  private static String plural(double count, String noun) {
    return spread(List.of(count), "") + " " + noun + (count == 1 ? "" : "s");
  }

  private static String percentOf(double ratio) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
  }
}
