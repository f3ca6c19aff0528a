package dev.cryo.bench;

import static dev.cryo.bench.report.Figures.ratio;
import static dev.cryo.bench.report.Figures.spread;
import static dev.cryo.bench.report.Figures.tableRow;
import static dev.cryo.bench.report.Figures.targetRow;

import dev.cryo.bench.cluster.FailoverBenchmark.Failover;
import dev.cryo.bench.cluster.FailoverBenchmark.Result;
import dev.cryo.bench.report.Statistics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The "cluster failover" section of BENCHMARKS.md, rendered from one run's figures: how long a
 * program's clients wait when its host is lost, split into detection, fetch, restore and first
 * response, against a cold start of the same program on another host; the targets; and a reading.
 */
record ClusterSection(
    BenchRun run, Duration leaseTtl, Duration every, Duration prefetchWait, List<Result> results) {
  static final String BEGIN =
      "<!-- cryo cluster failover benchmarks: begin (written by scripts/bench) -->";
  static final String END = "<!-- cryo cluster failover benchmarks: end -->";

  String render() {
    StringBuilder md =
        run.opening(
            BEGIN,
            "Cluster failover",
            " of each program, each a failover and then a cold start on another host; figures are the "
                + "median (min–max), and every ratio compares medians from this run.",
            "one trial and a smaller HeapServer; the figures only show that the harness runs.");
    md.append(
        String.format(
            Locale.ROOT,
            "On the test bed (`scripts/testbed`, [docs/testbed.md](docs/testbed.md)): three hosts, a client and "
                + "s3proxy as network namespaces of this one machine, etcd on each host, and `cryo node --lease-ttl "
                + "%ds` on each (the TTL is read from `scripts/testbed`). Each trial submits the program from "
                + "`cryo-c` (`cryo run --cluster --name N --address 198.18.1.X --every %ds -- java ...`), waits "
                + "until it answers `GET /count` from `cryo-client`, until a checkpoint begun after that is "
                + "published, and %d s more so that the other nodes pull it ahead of time; then it kills the "
                + "owner's host (`scripts/testbed kill`: every process of the host at once, as a power loss) and "
                + "polls the address from `cryo-client` every 50 ms until the program answers. The phases come "
                + "from the nodes' logs, whose events carry nanosecond times: **detection** runs from the kill "
                + "to the leader's `placed` (the lost node's lease expiring in etcd, then the leader's "
                + "reaction); **fetch** from `placed` to the new owner's `starting` (its reaction, the service "
                + "address claimed with `arping -D`, and the checkpoint fetched, these two at once); **restore** "
                + "from `starting` to the supervisor's `restored` (its JVM's start, then CRIU); **first "
                + "response** from `restored` to the client's answer. The **cold start** is the same command "
                + "run on another host bound to that host's own address, from its launch to its first answer "
                + "to the client; **detection + cold start** adds this run's median detection to it: what a "
                + "cluster that restarts lost programs instead of restoring them would give.%n%n",
            leaseTtl.toSeconds(),
            every.toSeconds(),
            prefetchWait.toSeconds()));
    phases(md);
    baseline(md);
    targets(md);
    reading(md);
    return md.append(END).append("\n").toString();
  }

  private static <T> List<Double> of(List<T> values, ToDoubleFunction<T> f) {
    return values.stream().map(v -> f.applyAsDouble(v)).toList();
  }

  private static double median(List<Double> values) {
    return Statistics.median(values);
  }

  private void phases(StringBuilder md) {
    md.append("### Where a failover's time goes\n\n");
    md.append(
        "| program | checkpoint | kill → first response | detection | fetch | of which the checkpoint | "
            + "restore to first answer | checkpoint found |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (Result r : results) {
      List<Failover> f = r.failovers();
      long prefetched = f.stream().filter(Failover::prefetched).count();
      tableRow(
          md,
          r.label(),
          String.join(", ", f.stream().map(Failover::image).distinct().toList()),
          "**" + spread(of(f, Failover::total)) + "**",
          spread(of(f, Failover::detection)),
          spread(of(f, Failover::fetch)),
          spread(of(f, Failover::fetchDone)),
          spread(of(f, x -> x.restore() + x.firstResponse())),
          prefetched + " of " + f.size() + " prefetched");
    }
    md.append(
        "\n\"Of which the checkpoint\" runs from `placed` to the new owner's `prefetched` or `pulled` "
            + "event: the checkpoint in its store, fetched while the address is claimed. Restore and first "
            + "response are one column: the supervisor writes its `restored` event after the program "
            + "already serves (its first answer came "
            + spread(
                of(
                    results.stream().flatMap(r -> r.failovers().stream()).toList(),
                    x -> -x.firstResponse()))
            + " before that event), so the event cannot split them.\n\n");
  }

  private void baseline(StringBuilder md) {
    md.append("### Against a cold start\n\n");
    md.append(
        "| program | failover | cold start on another host | detection + cold start | "
            + "failover / cold start | failover / (detection + cold start) |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result r : results) {
      double failover = median(of(r.failovers(), Failover::total));
      double detection = median(of(r.failovers(), Failover::detection));
      List<Double> restarts = r.coldStarts().stream().map(c -> c + detection).toList();
      tableRow(
          md,
          r.label() + ", " + r.program().heap(run.quick()),
          spread(of(r.failovers(), Failover::total)),
          spread(r.coldStarts()),
          spread(restarts),
          ratio(failover / median(r.coldStarts())),
          "**" + ratio(failover / median(restarts)) + "**");
    }
    md.append("\n");
  }

  private void targets(StringBuilder md) {
    long limit = leaseTtl.toMillis() + 1000;
    md.append("### Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
    for (Result r : results) {
      double failover = median(of(r.failovers(), Failover::total));
      double detection = median(of(r.failovers(), Failover::detection));
      double restart = detection + median(r.coldStarts());
      targetRow(
          md,
          String.format(Locale.ROOT, "%s: failover ≤ lease TTL + 1 s (%,d ms)", r.label(), limit),
          spread(List.of(failover)),
          failover <= limit);
      targetRow(
          md,
          r.label() + ": failover faster than detection + cold start",
          String.format(
              Locale.ROOT, "%s against %s", spread(List.of(failover)), spread(List.of(restart))),
          failover < restart);
    }
    md.append("\nTargets are recorded, not asserted; each compares medians of the trials.\n\n");
  }

  private void reading(StringBuilder md) {
    md.append("### Reading\n\n");
    for (Result r : results) {
      List<Failover> f = r.failovers();
      double total = median(of(f, Failover::total));
      double detection = median(of(f, Failover::detection));
      double fetch = median(of(f, Failover::fetch));
      double fetchDone = median(of(f, Failover::fetchDone));
      double restore = median(of(f, Failover::restore));
      double first = median(of(f, Failover::firstResponse));
      double cold = median(r.coldStarts());
      long prefetched = f.stream().filter(Failover::prefetched).count();
      List<String> parts = new ArrayList<>();
      parts.add(
          String.format(
              Locale.ROOT,
              "detection %s (%s)",
              spread(List.of(detection)),
              share(detection, total)));
      parts.add(
          String.format(Locale.ROOT, "fetch %s (%s)", spread(List.of(fetch)), share(fetch, total)));
      parts.add(
          String.format(
              Locale.ROOT, "restore %s (%s)", spread(List.of(restore)), share(restore, total)));
      parts.add(
          String.format(
              Locale.ROOT, "first response %s (%s)", spread(List.of(first)), share(first, total)));
      md.append(
          String.format(
              Locale.ROOT,
              "- **%s.** Of %s from the kill to the first answer: %s. %s %s %s%n",
              r.label(),
              spread(List.of(total)),
              String.join(", ", parts),
              detectionReading(detection),
              fetchReading(fetch, fetchDone, prefetched, f.size()),
              String.format(
                  Locale.ROOT,
                  "A cold start on another host takes %s to its first answer, so a restart after "
                      + "the same detection would give %s: the failover takes %s of that.",
                  spread(List.of(cold)),
                  spread(List.of(detection + cold)),
                  ratio(total / (detection + cold)))));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "- **What is not measured here.** The hosts share one machine's %d cores and one disk, and "
                + "the repository is on that machine too: a pull from real storage over a real network takes "
                + "longer, which is why checkpoints are prefetched. The work the program did after its newest "
                + "published checkpoint is lost in a failover (up to `--every` plus an upload); a cold start "
                + "loses all of its state.%n%n",
            Runtime.getRuntime().availableProcessors()));
  }

  private String detectionReading(double detection) {
    long ttl = leaseTtl.toMillis();
    return String.format(
        Locale.ROOT,
        "Detection is the lease: etcd expires the lost node's lease %,d ms after its last renewal (renewed "
            + "every %,d ms, so %,d–%,d ms after the kill), and the leader, which reads the cluster at least "
            + "once a second and at once on a watch event, places the program; detection %s the TTL.",
        ttl,
        ttl / 12,
        ttl - ttl / 12,
        ttl,
        detection <= ttl ? "stays within" : "exceeds");
  }

  private static String fetchReading(double fetch, double fetchDone, long prefetched, int trials) {
    return prefetched == trials
        ? String.format(
            Locale.ROOT,
            "The new owner had the checkpoint already (prefetched) in every trial, so \"fetch\" is its "
                + "reaction and the address claim: the checkpoint was at hand %s after `placed`.",
            spread(List.of(fetchDone)))
        : String.format(
            Locale.ROOT,
            "The checkpoint was prefetched in %d of %d trials; where it was pulled (a newer checkpoint "
                + "was published after the last prefetch: with `--every 5s` one is published every few "
                + "seconds, and nodes prefetch at most every 10 s), the pull is most of the fetch (%s to "
                + "the checkpoint in the store).",
            prefetched,
            trials,
            spread(List.of(fetchDone)));
  }

  private static String share(double part, double whole) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
  }
}
