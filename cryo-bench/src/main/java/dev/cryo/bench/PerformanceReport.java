package dev.cryo.bench;

import dev.cryo.bench.checkpoint.HeapSizeBenchmark;
import dev.cryo.bench.cluster.ClusterProgram;
import dev.cryo.bench.cluster.FailoverBenchmark;
import dev.cryo.bench.harness.BenchContext;
import dev.cryo.bench.harness.RawCriu;
import dev.cryo.bench.load.LoadBenchmark;
import dev.cryo.bench.remote.RemoteBenchmark;
import dev.cryo.bench.report.BenchmarkSections;
import dev.cryo.bench.report.MachineFacts;
import dev.cryo.bench.report.MachineThroughput;
import dev.cryo.bench.report.ReportArguments;
import dev.cryo.bench.report.Trees;
import dev.cryo.bench.restore.Application;
import dev.cryo.bench.restore.FirstResponseBenchmark;
import dev.cryo.linux.HostFacts;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.S3Proxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint and restore benchmarks, in one run: the machine's limits, the time to the first
 * HTTP response by every way of starting, and pause, checkpoint time, image size and restore time
 * by live heap size (section {@code restore}); and what a supervised program's clients see while it
 * is checkpointed every second (section {@code load}); and checkpoints in a remote repository on a
 * local S3 server, against the plain AWS SDK (section {@code remote}); and failovers on the cluster
 * test bed against cold starts (section {@code cluster}). Writes each measured section of
 * BENCHMARKS.md; nothing is asserted about the figures.
 *
 * <p>Usage (as root, with CRIU on the PATH, from the checkout): {@code PerformanceReport [--quick]
 * [--only restore|load|remote|cluster] [--skip SECTION]... [--output BENCHMARKS.md]}; {@code
 * --quick} is the smoke configuration (one trial, the smallest heap, short loads), {@code --only}
 * measures and writes one section, {@code --skip} leaves one out. {@code scripts/bench} builds what
 * it needs and runs it.
 */
public final class PerformanceReport {
  private PerformanceReport() {}

  /** The sections {@code --only} names. */
  static final String RESTORE = "restore";

  static final String LOAD = "load";

  static final String REMOTE = "remote";

  static final String CLUSTER = "cluster";

  /** The cluster section's test bed state: kept after the run, for its logs. */
  private static final Path TESTBED_STATE = Path.of("/tmp/cryo-testbed-bench");

  /** The S3 server of the remote repository section, as cryo-bench's build copies it. */
  private static final String S3PROXY_JAR = "cryo-bench/target/s3proxy/s3proxy.jar";

  public static void main(String[] args) throws Exception {
    ReportArguments arguments =
        ReportArguments.parse("scripts/bench", List.of(RESTORE, LOAD, REMOTE, CLUSTER), args);
    boolean quick = arguments.quick();
    Path home = Path.of(System.getProperty("cryo.home", "")).toAbsolutePath().normalize();
    checkPrerequisites(home);
    int trials = quick ? 1 : 5;
    int loadTrials = quick ? 1 : 3;
    LoadBenchmark.Lengths loadLengths = LoadBenchmark.lengths(quick);
    Path scratch =
        Files.createTempDirectory(
            home.resolve("target").toAbsolutePath(),
            "bench-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    MachineThroughput machine = null;
    List<FirstResponseBenchmark.Result> responses = new ArrayList<>();
    List<HeapSizeBenchmark.Result> heaps = new ArrayList<>();
    List<LoadBenchmark.Result> loads = new ArrayList<>();
    int remoteTrials = quick ? 1 : 3;
    RemoteBenchmark.Sizes remoteSizes = RemoteBenchmark.sizes(quick);
    List<RemoteBenchmark.Transfers> transfers = new ArrayList<>();
    List<RemoteBenchmark.Series> series = new ArrayList<>();
    RemoteBenchmark.Restores remoteRestores = null;
    int clusterTrials = quick ? 1 : 3;
    List<FailoverBenchmark.Result> failovers = new ArrayList<>();
    try (Processes processes = new Processes(scratch)) {
      CryoCli cryo =
          new CryoCli(home, scratch.resolve("store"), scratch).withPathIncluding("/usr/local/sbin");
      if (arguments.includes(RESTORE)) {
        System.out.println("bench: measuring memory and disk throughput");
        machine = MachineThroughput.measure(scratch, quick ? 256L << 20 : 1L << 30, quick ? 1 : 3);
        BenchContext context = new BenchContext(home, scratch, trials, processes, cryo);
        FirstResponseBenchmark first = new FirstResponseBenchmark(context);
        for (var app : FirstResponseBenchmark.applications()) {
          responses.add(first.measure(app));
        }
        HeapSizeBenchmark heap = new HeapSizeBenchmark(context);
        for (int size : HeapSizeBenchmark.sizes(quick)) {
          heaps.add(heap.measure(size));
        }
      }
      if (arguments.includes(LOAD)) {
        LoadBenchmark load =
            new LoadBenchmark(
                new BenchContext(home, scratch, loadTrials, processes, cryo), loadLengths);
        for (var app : LoadBenchmark.applications()) {
          loads.add(load.measure(app));
        }
      }
      if (arguments.includes(REMOTE)) {
        try (RemoteBenchmark remote =
            RemoteBenchmark.start(new BenchContext(home, scratch, remoteTrials, processes, cryo))) {
          for (int size : remoteSizes.transferSizes()) {
            transfers.add(remote.transfers(size));
          }
          series.add(remote.springCheckpoints(remoteSizes));
          series.add(remote.heapCheckpoints(remoteSizes, true));
          series.add(remote.heapCheckpoints(remoteSizes, false));
          remoteRestores = remote.restores();
        }
      }
      if (arguments.includes(CLUSTER)) {
        try (FailoverBenchmark cluster =
            FailoverBenchmark.start(
                new BenchContext(home, scratch, clusterTrials, processes, cryo),
                quick,
                TESTBED_STATE)) {
          for (ClusterProgram program : ClusterProgram.values()) {
            failovers.add(cluster.measure(program, clusterTrials));
          }
        }
      }
    } finally {
      Trees.delete(scratch);
    }
    String command = "scripts/bench" + (args.length == 0 ? "" : " " + String.join(" ", args));
    if (arguments.includes(RESTORE)) {
      write(
          arguments.output(),
          "the checkpoint and restore section",
          PerformanceSection.BEGIN,
          PerformanceSection.END,
          new PerformanceSection(
                  new BenchRun(command, quick, trials, RawCriu.version()),
                  machine,
                  responses,
                  heaps)
              .render());
    }
    if (arguments.includes(LOAD)) {
      write(
          arguments.output(),
          "the checkpoints under load section",
          LoadSection.BEGIN,
          LoadSection.END,
          new LoadSection(
                  new BenchRun(command, quick, loadTrials, RawCriu.version()),
                  loadLengths,
                  MachineFacts.synLinearRetries(),
                  loads)
              .render());
    }
    if (arguments.includes(REMOTE)) {
      write(
          arguments.output(),
          "the remote repository section",
          RemoteSection.BEGIN,
          RemoteSection.END,
          new RemoteSection(
                  new BenchRun(command, quick, remoteTrials, RawCriu.version()),
                  remoteSizes,
                  Integer.getInteger("cryo.repository.parallelism", 8),
                  transfers,
                  series,
                  remoteRestores)
              .render());
    }
    if (arguments.includes(CLUSTER)) {
      write(
          arguments.output(),
          "the cluster failover section",
          ClusterSection.BEGIN,
          ClusterSection.END,
          new ClusterSection(
                  new BenchRun(command, quick, clusterTrials, RawCriu.version()),
                  FailoverBenchmark.leaseTtl(home),
                  FailoverBenchmark.every(),
                  FailoverBenchmark.PREFETCH_WAIT,
                  failovers)
              .render());
    }
  }

  /** Writes {@code section} into {@code output} between its markers, and says so. */
  private static void write(Path output, String what, String begin, String end, String section)
      throws IOException {
    BenchmarkSections.writeSection(output, begin, end, section);
    System.out.println("bench: wrote " + what + " of " + output.toAbsolutePath());
  }

  private static void checkPrerequisites(Path home) throws IOException {
    if (!HostFacts.isRoot()) {
      throw new IllegalStateException(
          "checkpoint and restore need root; run scripts/bench as root");
    }
    List<String> needed =
        new ArrayList<>(
            List.of(
                "bin/cryo",
                "cryo-cli/target/cryo.jar",
                Application.AGENT,
                Application.EXAMPLES_JAR,
                S3PROXY_JAR));
    for (Application app : Application.values()) {
      needed.add(app.jar);
    }
    for (String file : needed) {
      if (!Files.exists(home.resolve(file))) {
        throw new IllegalStateException(
            home.resolve(file)
                + " is missing; build with "
                + "mvn -B -q -ntp -DskipTests install -pl cryo-bench -am, from "
                + home);
      }
    }
    if (System.getProperty(S3Proxy.JAR_PROPERTY) == null) {
      System.setProperty(S3Proxy.JAR_PROPERTY, home.resolve(S3PROXY_JAR).toString());
    }
    Files.createDirectories(home.resolve("target"));
  }
}
