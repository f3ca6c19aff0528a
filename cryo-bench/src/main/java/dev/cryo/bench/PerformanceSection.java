package dev.cryo.bench;

import static dev.cryo.bench.report.Figures.mib;
import static dev.cryo.bench.report.Figures.number;
import static dev.cryo.bench.report.Figures.percent;
import static dev.cryo.bench.report.Figures.rate;
import static dev.cryo.bench.report.Figures.ratio;
import static dev.cryo.bench.report.Figures.spread;
import static dev.cryo.bench.report.Figures.tableRow;
import static dev.cryo.bench.report.Figures.targetRow;

import dev.cryo.bench.checkpoint.HeapSizeBenchmark;
import dev.cryo.bench.report.MachineThroughput;
import dev.cryo.bench.report.Statistics;
import dev.cryo.bench.restore.Application;
import dev.cryo.bench.restore.FirstResponseBenchmark;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checkpoint and restore section of BENCHMARKS.md, rendered from one run's figures: tables with
 * medians and ranges, the ratio of every figure to its baseline from the same run, and each of
 * issue 5's and issue 16's targets with the figure that meets it or not.
 */
record PerformanceSection(
    BenchRun run,
    MachineThroughput machine,
    List<FirstResponseBenchmark.Result> responses,
    List<HeapSizeBenchmark.Result> heaps) {
  static final String BEGIN =
      "<!-- cryo checkpoint and restore benchmarks: begin (written by scripts/bench) -->";
  static final String END = "<!-- cryo checkpoint and restore benchmarks: end -->";
  private static final double MIB = 1024.0 * 1024.0;

  String render() {
    StringBuilder md =
        run.opening(
            BEGIN,
            "Checkpoint and restore",
            " of each, the ways of starting or checkpointing alternating trial by trial; figures are the median "
                + "(min–max), and every ratio compares medians from this run.",
            "one trial and the smallest heap; the figures only show that the harness runs.");
    machine(md);
    firstResponse(md);
    imageSize(md);
    pauses(md);
    restoreBySize(md);
    targets(md);
    reading(md);
    return md.append(END).append("\n").toString();
  }

  private void machine(StringBuilder md) {
    md.append("### The machine's limits\n\n");
    md.append(
        "| memory copy (`System.arraycopy`, 256 MiB) | disk write with `fdatasync` | disk read with `O_DIRECT` |\n");
    md.append("| ---: | ---: | ---: |\n");
    tableRow(md, rate(machine.memoryCopy()), rate(machine.diskWrite()), rate(machine.diskRead()));
    md.append("\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Disk figures use a %,.0f MiB file in the scratch directory, on the file "
                + "system of the image store.%n%n",
            machine.diskBytes() / MIB));
  }

  private void firstResponse(StringBuilder md) {
    md.append("### Time to the first HTTP response\n\n");
    md.append(
            "The wall clock from launching the command (`java …`, `criu restore …`, `bin/cryo restore NAME`) to the "
                + "first HTTP 200 to `GET /count`, polled every millisecond on a fresh loopback connection. A restore must "
                + "answer with the count the application had when it was dumped. The applications were warmed with ")
        .append(FirstResponseBenchmark.WARM_UP_REQUESTS)
        .append(
            " requests to `/increment` before their dumps: a raw `criu dump "
                + "--leave-running` and then a coordinated `cryo checkpoint` (the runtime's collection and trim first). "
                + "Cold starts run without the cryo agent; the AOT cache comes from a training run that served the same "
                + "warm-up requests. A `cryo restore` includes the CLI's own JVM start and the verification of the "
                + "images; `--lazy-pages` rows include starting the `criu lazy-pages` daemon. The compressed checkpoint "
                + "is a second `cryo checkpoint`, with `--compress`, taken right after the first (which left the "
                + "application running). The restarts under `cryo run` run after the other trials, each in a block of its "
                + "own, since their supervisor checkpoints the application every two seconds; the kill comes just after a "
                + "checkpoint, and with `--standby` once the standby of that checkpoint is ready. Only applications that close "
                + "their listeners for a checkpoint (Spring Boot through org.crac, HeapServer with `-Dheap.rebind=true`) "
                + "can have a standby, which waits beside the running program without its port.\n\n");
    for (FirstResponseBenchmark.Result r : responses) {
      md.append("**").append(r.label()).append("**\n\n");
      md.append("| start | to first response | ratio to a cold start on JDK ")
          .append(Runtime.version().feature())
          .append(" |\n| --- | ---: | ---: |\n");
      double baseline = Statistics.median(r.baseline().millis());
      for (FirstResponseBenchmark.Start s : r.starts()) {
        double median = Statistics.median(s.millis());
        tableRow(
            md,
            s.way().how,
            spread(s.millis()),
            s == r.baseline() ? "1" : "**1/" + number(baseline / median) + "**");
      }
      FirstResponseBenchmark.CryoRestore c = r.cryoRestore();
      md.append(
          String.format(
              Locale.ROOT,
              "%n`cryo restore`, medians: CRIU's restore %,.0f ms, of which CRIU accounts for %,.0f ms itself "
                  + "(`stats-restore`; the rest is starting `criu` and its RPC); verifying the images %,.0f ms, beside "
                  + "CRIU, which restores the processes stopped until the verification has passed; the CLI exits at %,.0f ms "
                  + "(its JVM start, telling the restored runtime and waiting for its answer are the rest).%n%n",
              Statistics.median(c.criuMillis()),
              Statistics.median(c.criuOwnMillis()),
              Statistics.median(c.verifyMillis()),
              Statistics.median(c.cliExitMillis())));
      supervisedBreakdown(md, r);
    }
  }

  /**
   * The supervisor's own part of the restarts under {@code cryo run}, from its events, against the
   * time to the first response.
   */
  private static void supervisedBreakdown(StringBuilder md, FirstResponseBenchmark.Result r) {
    Optional<FirstResponseBenchmark.Start> restored =
        r.start(FirstResponseBenchmark.Way.SUPERVISED);
    if (restored.isEmpty() || r.supervisor().restoreMillis().isEmpty()) {
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "`cryo run` after `kill -9`, medians: the supervisor's restore %,.0f ms of %,.0f ms to the first "
                + "response",
            Statistics.median(r.supervisor().restoreMillis()),
            Statistics.median(restored.get().millis())));
    Optional<FirstResponseBenchmark.Start> resumed = r.start(FirstResponseBenchmark.Way.STANDBY);
    if (resumed.isPresent() && !r.supervisor().resumeMillis().isEmpty()) {
      md.append(
          String.format(
              Locale.ROOT,
              "; with `--standby`: its resume %,.0f ms of %,.0f ms",
              Statistics.median(r.supervisor().resumeMillis()),
              Statistics.median(resumed.get().millis())));
    }
    md.append(
        " (the rest is the program's death, which the kernel takes longer over the more memory it"
            + " frees, and the supervisor noticing it; the supervisor's figure ends with the runtime's"
            + " answer to `restored`, once the program listens again).\n\n");
  }

  private void imageSize(StringBuilder md) {
    md.append("### Image size\n\n");
    md.append(
        "Resident memory (`VmRSS`) just before the dumps; the raw image is `criu dump`'s, taken first; cryo's "
            + "is the first coordinated checkpoint's, after the runtime's full collection with the heap shrunk and the C "
            + "heap trimmed; the compressed one is the `--compress` checkpoint taken after it (zstd level 6 on the page "
            + "images), with that checkpoint's own size before compression in brackets: a second checkpoint is often "
            + "smaller than the first, which also pays for setting up what the runtime's collection and trim use. Sizes "
            + "are the image files as stored.\n\n");
    md.append(
        "| application | RSS | raw `criu dump` | of RSS | `cryo checkpoint` | of RSS | `--compress` | of RSS |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (FirstResponseBenchmark.Result r : responses) {
      tableRow(
          md,
          r.label(),
          mib(r.rssBytes()),
          sizeCells(r.rawImageBytes(), r.rssBytes()),
          sizeCells(r.cryoImageBytes(), r.rssBytes()),
          mib(r.compressedImageBytes())
              + " ("
              + mib(r.compressedCheckpointUncompressedBytes())
              + " before)",
          percent(r.compressedImageBytes(), r.rssBytes()));
    }
    for (HeapSizeBenchmark.Result h : heaps) {
      tableRow(
          md,
          heapLabel(h),
          mib(h.rssBytes()),
          sizeCells(h.rawImageBytes(), h.rssBytes()),
          sizeCells(h.cryoImageBytes(), h.rssBytes()),
          "–",
          "–");
    }
    md.append("\n");
  }

  /** Two cells: a size and its share of the resident memory. */
  private static String sizeCells(long bytes, long rss) {
    return mib(bytes) + " | " + percent(bytes, rss);
  }

  private void pauses(StringBuilder md) {
    md.append("### Pause and checkpoint time by live heap\n\n");
    md.append(
        "`HeapServer` (cryo-test-programs) holds the given live data in 1 MiB arrays and runs a thread that ticks "
            + "every millisecond; the pause is the longest gap between its ticks while the checkpoint ran, read from the "
            + "application: for cryo, the longer of the runtime's collection before the dump and CRIU's freeze, "
            + "since both stop its threads. Both checkpoints leave it running, and each starts after `sync`, so that neither shares "
            + "the disk with the write-back of the one before. The raw checkpoint is `criu dump --leave-running` (its "
            + "wall time is its total); \"+ fsync\" adds flushing its files to disk, which cryo does before it "
            + "publishes a checkpoint. Cryo's total is the time `cryo checkpoint --leave-running` prints (from the "
            + "request to the published, flushed checkpoint: coordination, collection, dump, checksums, fsync), "
            + "without the CLI's JVM start, and its dump is CRIU's part of it.\n\n");
    md.append(
        "| live heap | `criu dump` pause | `criu dump` total | + fsync | `cryo checkpoint` pause (collection "
            + "or freeze) | cryo's CRIU dump | cryo total | pause, cryo / criu | total, cryo / criu + fsync |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (HeapSizeBenchmark.Result h : heaps) {
      tableRow(
          md,
          heapLabel(h),
          spread(h.rawPause()),
          spread(h.rawTotal()),
          spread(h.rawDurable()),
          spread(h.cryoPause()),
          spread(h.cryoDump()),
          spread(h.cryoTotal()),
          ratio(Statistics.median(h.cryoPause()) / Statistics.median(h.rawPause())),
          ratio(Statistics.median(h.cryoTotal()) / Statistics.median(h.rawDurable())));
    }
    md.append("\n");
  }

  private void restoreBySize(StringBuilder md) {
    md.append("### Restore time by image size\n\n");
    md.append(
        "From launching the restore to the first HTTP response of the restored `HeapServer`; the raw image is "
            + "restored by `criu restore`, cryo's named checkpoint (taken last, the application then ended) by `cryo "
            + "restore`, each also with lazy pages. The ratio compares with the smallest heap's, for the same way of "
            + "restoring.\n\n");
    md.append(
        "| live heap | raw image | `criu restore` | `--lazy-pages` | cryo image | `cryo restore` | "
            + "`--lazy-pages` |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    HeapSizeBenchmark.Result first = heaps.isEmpty() ? null : heaps.get(0);
    for (HeapSizeBenchmark.Result h : heaps) {
      tableRow(
          md,
          heapLabel(h),
          mib(h.rawImageBytes()),
          relative(h.rawRestore(), first.rawRestore()),
          relative(h.rawLazyRestore(), first.rawLazyRestore()),
          mib(h.restoredImageBytes()),
          relative(h.cryoRestore(), first.cryoRestore()),
          relative(h.cryoLazyRestore(), first.cryoLazyRestore()));
    }
    md.append("\n");
  }

  /** A median with its range, and its ratio to the smallest heap's when it is not that one. */
  private static String relative(List<Double> millis, List<Double> smallest) {
    return millis == smallest
        ? spread(millis)
        : spread(millis) + ", " + ratio(Statistics.median(millis) / Statistics.median(smallest));
  }

  private void targets(StringBuilder md) {
    md.append("### Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
    for (FirstResponseBenchmark.Result r : responses) {
      if (r.app().closesListenersForCheckpoints()) {
        restartTargets(md, r);
      }
    }
    springBoot()
        .ifPresent(
            spring -> {
              for (FirstResponseBenchmark.Way way :
                  List.of(FirstResponseBenchmark.Way.CRYO, FirstResponseBenchmark.Way.CRYO_LAZY)) {
                spring
                    .start(way)
                    .ifPresent(
                        s -> {
                          double restore = Statistics.median(s.millis());
                          spring
                              .start(FirstResponseBenchmark.Way.AOT_CACHE)
                              .ifPresent(
                                  aot -> {
                                    double aotMillis = Statistics.median(aot.millis());
                                    targetRow(
                                        md,
                                        "Spring Boot: "
                                            + way.how
                                            + " faster than the JDK 25 AOT-cache start",
                                        String.format(
                                            Locale.ROOT,
                                            "%,.0f ms against %,.0f ms",
                                            restore,
                                            aotMillis),
                                        restore < aotMillis);
                                  });
                        });
              }
              targetRow(
                  md,
                  "Spring Boot: stored image ≤ 40% of RSS",
                  percent(spring.cryoImageBytes(), spring.rssBytes()),
                  spring.cryoImageBytes() <= 0.40 * spring.rssBytes());
              targetRow(
                  md,
                  "Spring Boot: compressed image ≤ 15% of RSS",
                  percent(spring.compressedImageBytes(), spring.rssBytes()),
                  spring.compressedImageBytes() <= 0.15 * spring.rssBytes());
            });
    for (HeapSizeBenchmark.Result h : heaps) {
      double allowed = 300 * h.cryoImageBytes() / (1024.0 * MIB) + 30;
      double pause = Statistics.median(h.cryoPause());
      targetRow(
          md,
          heapLabel(h) + ": pause ≤ 0.3 s per GiB dumped + 30 ms",
          String.format(
              Locale.ROOT,
              "%,.0f ms for %s dumped (allowed %,.0f ms)",
              pause,
              mib(h.cryoImageBytes()),
              allowed),
          pause <= allowed);
      double raw = Statistics.median(h.rawPause());
      targetRow(
          md,
          heapLabel(h) + ": cryo adds ≤ 10% to a raw `criu dump`'s pause",
          String.format(
              Locale.ROOT,
              "%,.0f ms against %,.0f ms (%+.0f%%)",
              pause,
              raw,
              100 * (pause / raw - 1)),
          pause <= 1.1 * raw);
    }
    if (heaps.size() > 1) {
      HeapSizeBenchmark.Result small = heaps.get(0);
      HeapSizeBenchmark.Result large = heaps.get(heaps.size() - 1);
      restoreTarget(md, "`cryo restore`", small, large, small.cryoRestore(), large.cryoRestore());
      restoreTarget(
          md,
          "`cryo restore --lazy-pages`",
          small,
          large,
          small.cryoLazyRestore(),
          large.cryoLazyRestore());
    }
    md.append("\n");
  }

  /**
   * Issue 16's targets for an application that can have a standby, each against its own cold start
   * on the harness's JDK: {@code cryo restore} and the supervisor's restore after {@code kill -9}
   * within 1/50 of it, the resume of a standby within 1/200.
   */
  private static void restartTargets(StringBuilder md, FirstResponseBenchmark.Result r) {
    double cold = Statistics.median(r.baseline().millis());
    String name = shortName(r.app());
    List<Target> targets =
        List.of(
            new Target(
                "`cryo restore` to first response",
                millisOf(r, FirstResponseBenchmark.Way.CRYO),
                50),
            new Target(
                "`cryo run` restore after `kill -9` to first response",
                millisOf(r, FirstResponseBenchmark.Way.SUPERVISED),
                50),
            new Target(
                "`cryo run --standby` after `kill -9` to first response",
                millisOf(r, FirstResponseBenchmark.Way.STANDBY),
                50),
            new Target(
                "resume of a standby (the supervisor's, to the runtime's answer once it listens again)",
                r.supervisor().resumeMillis(),
                200));
    for (Target target : targets) {
      if (target.millis().isEmpty()) {
        continue;
      }
      double millis = Statistics.median(target.millis());
      targetRow(
          md,
          name
              + ": "
              + target.what()
              + " ≤ 1/"
              + target.fraction()
              + " of its cold start on JDK "
              + Runtime.version().feature(),
          String.format(
              Locale.ROOT, "%,.0f ms against %,.0f ms: 1/%s", millis, cold, number(cold / millis)),
          millis * target.fraction() <= cold);
    }
  }

  private static List<Double> millisOf(
      FirstResponseBenchmark.Result r, FirstResponseBenchmark.Way way) {
    return r.start(way).map(FirstResponseBenchmark.Start::millis).orElse(List.of());
  }

  /** A target on one way of starting: within {@code 1/fraction} of the cold start. */
  private record Target(String what, List<Double> millis, int fraction) {}

  /** How the targets and the reading name an application. */
  private static String shortName(Application app) {
    return switch (app) {
      case SPRING -> "Spring Boot";
      case PLAIN -> "CounterServer";
      case HEAP -> "HeapServer, 1 GiB live";
    };
  }

  private static void restoreTarget(
      StringBuilder md,
      String how,
      HeapSizeBenchmark.Result small,
      HeapSizeBenchmark.Result large,
      List<Double> smallMillis,
      List<Double> largeMillis) {
    double a = Statistics.median(smallMillis);
    double b = Statistics.median(largeMillis);
    targetRow(
        md,
        how + " to first response, " + heapLabel(large) + " ≤ 2 × " + heapLabel(small),
        String.format(Locale.ROOT, "%,.0f ms against %,.0f ms: %s", b, a, ratio(b / a)),
        b <= 2 * a);
  }

  /**
   * A few sentences computed from this run's figures: what is near a physical limit measured in the
   * same run, and what is not and why.
   */
  private void reading(StringBuilder md) {
    md.append("### Reading\n\n");
    springBoot()
        .ifPresent(
            spring -> {
              double cold = Statistics.median(spring.baseline().millis());
              double criu =
                  spring
                      .start(FirstResponseBenchmark.Way.CRIU)
                      .map(s -> Statistics.median(s.millis()))
                      .orElse(Double.NaN);
              double cryoRestore =
                  spring
                      .start(FirstResponseBenchmark.Way.CRYO)
                      .map(s -> Statistics.median(s.millis()))
                      .orElse(Double.NaN);
              double verify = Statistics.median(spring.cryoRestore().verifyMillis());
              double criuPart = Statistics.median(spring.cryoRestore().criuMillis());
              md.append(
                  String.format(
                      Locale.ROOT,
                      "- **Restore to first response.** A raw `criu restore` of Spring Boot answers "
                          + "in %,.0f ms, 1/%s of its cold start: CRIU's own work (recreating some 40 threads, the mappings, files and "
                          + "sockets, and reading the pages) is the floor for anything built on CRIU%s. `cryo restore` takes %,.0f ms "
                          + "(1/%s): verifying the images %,.0f ms beside CRIU's %,.0f ms, and the rest is the command's own JVM start and "
                          + "the `restored` exchange with the runtime.",
                      criu,
                      number(cold / criu),
                      criu * 50 > cold
                          ? ", and on this machine it is already short of the 1/50 target"
                          : "",
                      cryoRestore,
                      number(cold / cryoRestore),
                      verify,
                      criuPart));
              spring
                  .start(FirstResponseBenchmark.Way.SUPERVISED)
                  .ifPresent(
                      s ->
                          md.append(
                              String.format(
                                  Locale.ROOT,
                                  " Without that start, a program under `cryo run` answers %,.0f ms after a `kill -9` (1/%s), its supervisor "
                                      + "noticing the death, verifying and restoring.",
                                  Statistics.median(s.millis()),
                                  number(cold / Statistics.median(s.millis())))));
              spring
                  .start(FirstResponseBenchmark.Way.STANDBY)
                  .filter(s -> !spring.supervisor().resumeMillis().isEmpty())
                  .ifPresent(
                      s ->
                          md.append(
                              String.format(
                                  Locale.ROOT,
                                  " With `--standby` it answers %,.0f ms after the kill (1/%s): CRIU's work was done"
                                      + " ahead of time, and the supervisor's resume of the stopped copy takes %,.0f ms.",
                                  Statistics.median(s.millis()),
                                  number(cold / Statistics.median(s.millis())),
                                  Statistics.median(spring.supervisor().resumeMillis()))));
              spring
                  .start(FirstResponseBenchmark.Way.AOT_CACHE)
                  .ifPresent(
                      aot -> {
                        double aotMillis = Statistics.median(aot.millis());
                        long slower =
                            spring.starts().stream()
                                .filter(s -> s.way().name().startsWith("CRYO"))
                                .filter(s -> Statistics.median(s.millis()) >= aotMillis)
                                .count();
                        md.append(
                            String.format(
                                Locale.ROOT,
                                " %s the JDK 25 AOT-cache start (%,.0f ms), which still runs Spring's "
                                    + "start-up code.",
                                slower == 0
                                    ? "Every `cryo restore` is faster than"
                                    : slower
                                        + " of the `cryo restore` "
                                        + "rows are not faster than",
                                aotMillis));
                      });
              md.append(
                  String.format(
                      Locale.ROOT,
                      "%n- **Image size.** After the runtime's collection and trim, Spring Boot's "
                          + "image is %s of its resident memory: what is left is the JVM's own memory (metaspace, the code cache, "
                          + "G1's remembered sets and bitmaps, the relocated pages of the class-data archive), which no collection "
                          + "frees. zstd brings it to %s.%n",
                      percent(spring.cryoImageBytes(), spring.rssBytes()),
                      percent(spring.compressedImageBytes(), spring.rssBytes())));
            });
    if (!heaps.isEmpty()) {
      HeapSizeBenchmark.Result large = heaps.get(heaps.size() - 1);
      double rawPause = Statistics.median(large.rawPause());
      double cryoPause = Statistics.median(large.cryoPause());
      double dumpRate = large.rawImageBytes() / (rawPause / 1000);
      md.append(
          String.format(
              Locale.ROOT,
              "- **Pause.** With %s, a raw `criu dump` freezes the application for "
                  + "%,.0f ms, %s of dumped memory, against %s for a plain memory copy on this machine: CRIU moves the pages "
                  + "into the page cache on one thread, with a copy and a page-cache allocation per page. That is the floor "
                  + "for cryo too, whose pause is %,.0f ms (%s of raw's): the freeze is CRIU's; cryo's coordination runs "
                  + "before it while the application still runs, and the runtime's collection is a shorter pause of its own. "
                  + "The 0.3 s per GB target would need pages "
                  + "written at %s, more than CRIU's single thread does here.%n",
              heapLabel(large),
              rawPause,
              rate(dumpRate),
              rate(machine.memoryCopy()),
              cryoPause,
              ratio(cryoPause / rawPause),
              rate(1024.0 * MIB / 0.3)));
      double cryoTotal = Statistics.median(large.cryoTotal());
      double rawDurable = Statistics.median(large.rawDurable());
      md.append(
          String.format(
              Locale.ROOT,
              "- **Whole checkpoint.** Cryo's %,.0f ms for %s include what a raw dump "
                  + "does not do: the CRC32C of every file and flushing it to disk, so that a crash just after cannot leave a "
                  + "torn checkpoint. Against a raw dump followed by that flush (%,.0f ms) it is %s; the disk writes %s "
                  + "with `fdatasync` here, which bounds the flush. All of it comes after the application has resumed.%n",
              cryoTotal,
              heapLabel(large),
              rawDurable,
              ratio(cryoTotal / rawDurable),
              rate(machine.diskWrite())));
      if (heaps.size() > 1) {
        HeapSizeBenchmark.Result small = heaps.get(0);
        md.append(
            String.format(
                Locale.ROOT,
                "- **Restore time by size.** A full restore reads every page before the "
                    + "process runs: `criu restore` of %s takes %s the time of %s. With lazy pages the process runs first and "
                    + "its pages follow on demand: `criu restore --lazy-pages` takes %s the time of the smallest, `cryo restore "
                    + "--lazy-pages` %s, since it checks the page images while the process starts. A full `cryo restore` "
                    + "has CRIU read every page while it checks them beside it, which is what grows with the image; the spread of the "
                    + "large heap's trials shows how much a restore that allocates gigabytes depends on what else the machine "
                    + "is doing.%n",
                heapLabel(large),
                ratio(
                    Statistics.median(large.rawRestore()) / Statistics.median(small.rawRestore())),
                heapLabel(small),
                ratio(
                    Statistics.median(large.rawLazyRestore())
                        / Statistics.median(small.rawLazyRestore())),
                ratio(
                    Statistics.median(large.cryoLazyRestore())
                        / Statistics.median(small.cryoLazyRestore()))));
      }
    }
    md.append("\n");
  }

  /** The Spring Boot example's figures, which issue 5's targets are about, if it was measured. */
  private Optional<FirstResponseBenchmark.Result> springBoot() {
    return responses.stream().filter(r -> r.app().isSpringBoot()).findFirst();
  }

  private static String heapLabel(HeapSizeBenchmark.Result h) {
    return "HeapServer, " + h.liveMegabytes() + " MiB live";
  }
}
