package dev.cryo.bench.checkpoint;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.bench.harness.RawCriu;
import dev.cryo.bench.report.Statistics;
import dev.cryo.bench.report.Trees;
import dev.cryo.bench.restore.Application;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a checkpoint costs as the heap grows: the application's pause (seen from inside it, by
 * {@code HeapServer}'s ticker), the whole checkpoint's time and the image's size, for a raw {@code
 * criu dump --leave-running} and a {@code cryo checkpoint --leave-running} of the same process,
 * alternating; then the time from launching a restore of each image to the first HTTP response.
 */
public record HeapSizeBenchmark(BenchContext context) {
  private static final int WARM_UP_REQUESTS = 50;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

  /**
   * The figures for one live heap size, per trial, in milliseconds and bytes. Pauses are the
   * longest gap between the application's ticks (1 ms apart) while the checkpoint ran.
   */
  public record Result(
      int liveMegabytes,
      long rssBytes,
      List<Double> rawPause,
      List<Double> rawTotal,
      List<Double> rawDurable,
      long rawImageBytes,
      List<Double> cryoPause,
      List<Double> cryoDump,
      List<Double> cryoTotal,
      List<Double> cryoCommand,
      long cryoImageBytes,
      long restoredImageBytes,
      List<Double> rawRestore,
      List<Double> rawLazyRestore,
      List<Double> cryoRestore,
      List<Double> cryoLazyRestore) {}

  /**
   * The live heap sizes measured, in MiB: about 50 MB, 500 MB and 2 GB, or the first alone for a
   * smoke run.
   */
  public static List<Integer> sizes(boolean quick) {
    return quick ? List.of(48) : List.of(48, 480, 1920);
  }

  public Result measure(int liveMegabytes) throws IOException, InterruptedException {
    String id = "heap-" + liveMegabytes;
    System.out.println("bench: " + id + ": starting with " + liveMegabytes + " MiB of live data");
    int port = Processes.freePort();
    Path log = context.scratch().resolve(id + ".log");
    int maxHeap = Math.max(256, liveMegabytes * 2 + 256);
    Process app =
        context.start(
            log,
            Application.testProgram(
                context.home(),
                List.of(
                    "-XX:+PerfDisableSharedMem",
                    Application.agent(context.home()),
                    "-Xmx" + maxHeap + "m"),
                "HeapServer",
                Integer.toString(port),
                Integer.toString(liveMegabytes)));
    long pid = app.pid();
    BenchContext.firstCount(app, id, port, START_TIMEOUT, log);
    for (int i = 0; i < WARM_UP_REQUESTS; i++) {
      HttpProbe.get(port, "/increment");
    }
    String count = Integer.toString(WARM_UP_REQUESTS);
    long rss = Processes.residentBytes(pid);

    List<Double> rawPause = new ArrayList<>();
    List<Double> rawTotal = new ArrayList<>();
    List<Double> rawDurable = new ArrayList<>();
    List<Double> cryoPause = new ArrayList<>();
    List<Double> cryoDump = new ArrayList<>();
    List<Double> cryoTotal = new ArrayList<>();
    List<Double> cryoCommand = new ArrayList<>();
    List<Long> cryoBytes = new ArrayList<>();
    // The first raw dump sees the heap as the application left it, before any collection by cryo:
    // it is the raw image measured and restored.
    Path rawImages = context.scratch().resolve("raw-" + id);
    for (int t = 1; t <= context.trials(); t++) {
      Path dir = t == 1 ? rawImages : context.scratch().resolve("raw-" + id + "-" + t);
      RawCriu.settle();
      pauseSince(port);
      double dump = RawCriu.dump(pid, dir, true);
      rawPause.add(pauseSince(port));
      rawTotal.add(dump);
      rawDurable.add(dump + RawCriu.fsync(dir));
      if (t > 1) {
        Trees.delete(dir);
      }
      RawCriu.settle();
      pauseSince(port);
      long start = System.nanoTime();
      CryoCli.Result checkpoint =
          context.cryo().run("checkpoint", Long.toString(pid), "--leave-running").assertOk();
      cryoCommand.add((System.nanoTime() - start) / 1e6);
      cryoPause.add(pauseSince(port));
      CryoCli.Checkpointed times = CryoCli.checkpointed(checkpoint.stderr());
      cryoDump.add(times.dumpSeconds() * 1000);
      cryoTotal.add(times.totalSeconds() * 1000);
      String checkpointId = checkpoint.stdout().trim();
      cryoBytes.add(RawCriu.imageBytes(context.cryo().imagesDir(checkpointId)));
      context.cryo().run("delete", checkpointId).assertOk();
      System.out.printf(
          Locale.ROOT,
          "bench: %s trial %d/%d: criu dump %.0f ms, pause %.0f ms; cryo checkpoint "
              + "%.0f ms, pause %.0f ms%n",
          id,
          t,
          context.trials(),
          rawTotal.get(t - 1),
          rawPause.get(t - 1),
          cryoTotal.get(t - 1),
          cryoPause.get(t - 1));
    }

    String named =
        context
            .cryo()
            .run("checkpoint", Long.toString(pid), "--name", id)
            .assertOk()
            .stdout()
            .trim();
    long restoredBytes = RawCriu.imageBytes(context.cryo().imagesDir(named));
    if (!app.waitFor(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cryo checkpoint did not end " + id);
    }
    Processes.awaitGone(pid, Duration.ofSeconds(30));
    context.processes().forget(pid);
    List<Double> rawRestore = new ArrayList<>();
    List<Double> rawLazyRestore = new ArrayList<>();
    List<Double> cryoRestore = new ArrayList<>();
    List<Double> cryoLazyRestore = new ArrayList<>();
    for (int t = 1; t <= context.trials(); t++) {
      rawRestore.add(context.restores().raw(id, rawImages, port, pid, count, false));
      rawLazyRestore.add(context.restores().raw(id, rawImages, port, pid, count, true));
      cryoRestore.add(context.restores().cryo(id, port, pid, count).firstResponse());
      cryoLazyRestore.add(
          context.restores().cryo(id, port, pid, count, "--lazy-pages").firstResponse());
      System.out.printf(
          Locale.ROOT,
          "bench: %s restore %d/%d: criu restore %.0f ms, lazily %.0f ms; cryo restore "
              + "%.0f ms, lazily %.0f ms%n",
          id,
          t,
          context.trials(),
          rawRestore.get(t - 1),
          rawLazyRestore.get(t - 1),
          cryoRestore.get(t - 1),
          cryoLazyRestore.get(t - 1));
    }
    long rawBytes = RawCriu.imageBytes(rawImages);
    Trees.delete(rawImages);
    context.cryo().run("delete", id).assertOk();
    return new Result(
        liveMegabytes,
        rss,
        rawPause,
        rawTotal,
        rawDurable,
        rawBytes,
        cryoPause,
        cryoDump,
        cryoTotal,
        cryoCommand,
        Math.round(Statistics.median(cryoBytes.stream().map(Long::doubleValue).toList())),
        restoredBytes,
        rawRestore,
        rawLazyRestore,
        cryoRestore,
        cryoLazyRestore);
  }

  /** The longest gap between the application's ticks since the last call, in milliseconds. */
  private static double pauseSince(int port) throws IOException {
    HttpProbe.Response r = HttpProbe.get(port, "/pause");
    if (!r.ok()) {
      throw new IllegalStateException("/pause answered HTTP " + r.status());
    }
    return Long.parseLong(r.body()) / 1000.0;
  }
}
