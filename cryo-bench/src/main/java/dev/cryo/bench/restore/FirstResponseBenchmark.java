package dev.cryo.bench.restore;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.bench.harness.RawCriu;
import dev.cryo.bench.harness.RestoreTrials;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How soon an application answers its first HTTP request, started every way a user could start it:
 * a cold start (on the harness's JDK and on the newest, with and without its AOT cache), a raw
 * {@code criu restore} of a plain dump, and {@code cryo restore} of a checkpoint with participants.
 * The warmed application is dumped both ways once; then the starts alternate, trial by trial. Last,
 * each in a block of its own, come the restarts after {@code kill -9} under {@code cryo run}:
 * restored by the supervisor, and, for an application that closes its listeners for a checkpoint,
 * resumed from a standby ({@code --standby}).
 */
public record FirstResponseBenchmark(BenchContext context) {
  public static final int WARM_UP_REQUESTS = 200;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /** The ways of starting an application that are measured. */
  public enum Way {
    COLD("cold start, JDK " + Runtime.version().feature()),
    COLD_NEWEST("cold start, JDK " + Jdks.AOT_CACHE_FEATURE + "+"),
    AOT_CACHE("cold start, JDK " + Jdks.AOT_CACHE_FEATURE + "+ with its AOT cache"),
    CRIU("`criu restore` of a plain `criu dump`"),
    CRIU_LAZY("`criu restore --lazy-pages` of a plain `criu dump`"),
    CRYO("`cryo restore`"),
    CRYO_LAZY("`cryo restore --lazy-pages`"),
    CRYO_COMPRESSED("`cryo restore` of a `--compress` checkpoint"),
    SUPERVISED("`cryo run` restoring it after `kill -9`, from the kill"),
    STANDBY("`cryo run --standby` resuming its standby after `kill -9`, from the kill");

    public final String how;

    Way(String how) {
      this.how = how;
    }
  }

  /** One way of starting, with its time to the first response in each trial, in milliseconds. */
  public record Start(Way way, List<Double> millis) {}

  /**
   * One application's figures. {@code starts} begins with the cold start on the harness's JDK, the
   * baseline of every ratio; {@code cryoRestore} has the breakdown of the plain {@code cryo
   * restore}, {@code supervisor} that of the restarts under {@code cryo run}.
   */
  public record Result(
      Application app,
      String label,
      long rssBytes,
      long rawImageBytes,
      long cryoImageBytes,
      long compressedImageBytes,
      long compressedCheckpointUncompressedBytes,
      List<Start> starts,
      CryoRestore cryoRestore,
      SupervisedRestarts supervisor) {
    public Start baseline() {
      return starts.get(0);
    }

    /** The figures of one way of starting, if it was measured. */
    public Optional<Start> start(Way way) {
      return starts.stream().filter(s -> s.way() == way).findFirst();
    }
  }

  /**
   * {@code cryo restore}: per trial, the CLI's exit and the verification and CRIU times it printed.
   */
  public record CryoRestore(
      List<Double> cliExitMillis,
      List<Double> verifyMillis,
      List<Double> criuMillis,
      List<Double> criuOwnMillis) {}

  /**
   * {@code cryo run} after {@code kill -9}: per trial, the time the supervisor's event reports for
   * its restore ({@link Way#SUPERVISED}) and for its resume of the standby ({@link Way#STANDBY}),
   * in milliseconds; empty where that way was not measured.
   */
  public record SupervisedRestarts(List<Double> restoreMillis, List<Double> resumeMillis) {}

  /** One trial of one way of starting, in milliseconds to the first response. */
  private interface Trial {
    double run() throws IOException, InterruptedException;
  }

  public static List<Application> applications() {
    return List.of(Application.values());
  }

  public Result measure(Application app) throws IOException, InterruptedException {
    System.out.println("bench: " + app.id + ": starting, warming up and checkpointing");
    Path java = Jdks.current();
    int port = Processes.freePort();
    Path log = context.scratch().resolve(app.id + ".log");
    Process original =
        context.start(
            log,
            app.command(java, context.home(), port, List.of(Application.agent(context.home()))));
    long pid = original.pid();
    BenchContext.firstCount(original, app.id, port, START_TIMEOUT, log);
    String warmed = warmUp(app, port);
    long rss = Processes.residentBytes(pid);
    Path rawImages = context.scratch().resolve("raw-" + app.id);
    RawCriu.dump(pid, rawImages, true);
    CryoCli.Result checkpoint =
        context
            .cryo()
            .run("checkpoint", Long.toString(pid), "--name", app.id, "--leave-running")
            .assertOk();
    long cryoBytes = RawCriu.imageBytes(context.cryo().imagesDir(checkpoint.stdout().trim()));
    String compressedName = app.id + "-compressed";
    checkpoint =
        context
            .cryo()
            .run("checkpoint", Long.toString(pid), "--name", compressedName, "--compress")
            .assertOk();
    long compressedBytes = RawCriu.imageBytes(context.cryo().imagesDir(checkpoint.stdout().trim()));
    // The same checkpoint's size before compression: its pages as they were, the rest as stored.
    CryoCli.Compression pages = CryoCli.compression(checkpoint.stderr());
    long uncompressedBytes = compressedBytes - pages.after() + pages.before();
    if (!original.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "cryo checkpoint did not end PID " + pid + ":\n" + checkpoint.stderr());
    }
    Processes.awaitGone(pid, Duration.ofSeconds(30));
    context.processes().forget(pid);

    Optional<Path> newest = Jdks.withAotCache();
    Optional<Path> aotCache =
        newest.isPresent() ? Optional.of(trainAotCache(app, newest.get())) : Optional.empty();
    CryoRestore breakdown =
        new CryoRestore(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    Map<Way, Trial> ways = new EnumMap<>(Way.class);
    ways.put(Way.COLD, () -> coldStart(app, java, List.of()));
    newest.ifPresent(j -> ways.put(Way.COLD_NEWEST, () -> coldStart(app, j, List.of())));
    aotCache.ifPresent(
        c ->
            ways.put(
                Way.AOT_CACHE, () -> coldStart(app, newest.get(), List.of("-XX:AOTCache=" + c))));
    ways.put(Way.CRIU, () -> context.restores().raw(app.id, rawImages, port, pid, warmed, false));
    ways.put(
        Way.CRIU_LAZY, () -> context.restores().raw(app.id, rawImages, port, pid, warmed, true));
    ways.put(
        Way.CRYO,
        () -> {
          RestoreTrials.CryoTrial trial = context.restores().cryo(app.id, port, pid, warmed);
          breakdown.cliExitMillis().add(trial.cliExit());
          breakdown.verifyMillis().add(trial.verify());
          breakdown.criuMillis().add(trial.criu());
          breakdown.criuOwnMillis().add(trial.criuOwn());
          return trial.firstResponse();
        });
    ways.put(
        Way.CRYO_LAZY,
        () -> context.restores().cryo(app.id, port, pid, warmed, "--lazy-pages").firstResponse());
    ways.put(
        Way.CRYO_COMPRESSED,
        () -> context.restores().cryo(compressedName, port, pid, warmed).firstResponse());
    List<Start> starts = new ArrayList<>();
    ways.keySet().forEach(w -> starts.add(new Start(w, new ArrayList<>())));
    for (int t = 1; t <= context.trials(); t++) {
      StringBuilder line =
          new StringBuilder("bench: " + app.id + " trial " + t + "/" + context.trials() + ":");
      for (Start start : starts) {
        double millis = ways.get(start.way()).run();
        start.millis().add(millis);
        line.append(
            String.format(Locale.ROOT, " %s %.0f ms;", start.way().how.replace("`", ""), millis));
      }
      System.out.println(line);
    }
    // Alone, after the others: its periodic checkpoints would disturb whatever ran beside it.
    SupervisedRestarts supervisor = new SupervisedRestarts(new ArrayList<>(), new ArrayList<>());
    starts.add(supervised(app, Way.SUPERVISED, warmed, supervisor.restoreMillis()));
    // A standby is restored beside the running program: it must not hold the program's port.
    if (app.closesListenersForCheckpoints()) {
      starts.add(supervised(app, Way.STANDBY, warmed, supervisor.resumeMillis()));
    }
    return new Result(
        app,
        app.label(context.home()),
        rss,
        RawCriu.imageBytes(rawImages),
        cryoBytes,
        compressedBytes,
        uncompressedBytes,
        starts,
        breakdown,
        supervisor);
  }

  /**
   * The trials of {@code way} ({@link Way#SUPERVISED} or {@link Way#STANDBY}) on a run of its own;
   * adds what the supervisor's event reports for each to {@code eventMillis}.
   */
  private Start supervised(Application app, Way way, String warmed, List<Double> eventMillis)
      throws IOException, InterruptedException {
    boolean standby = way == Way.STANDBY;
    Start start = new Start(way, new ArrayList<>());
    SupervisedRun run =
        standby
            ? SupervisedRun.start(app, app.id + "-standby", "2s", context, "--standby")
            : SupervisedRun.start(app, app.id + "-run", "2s", context);
    try {
      String expectedCount = run.warmForRestores(warmed);
      for (int t = 1; t <= context.trials(); t++) {
        SupervisedRun.Comeback back =
            standby
                ? run.killAndAwaitResume(expectedCount)
                : run.killAndAwaitRestore(expectedCount);
        start.millis().add(back.firstResponse());
        eventMillis.add(back.supervisor());
        System.out.printf(
            Locale.ROOT,
            "bench: %s trial %d/%d: %s %.0f ms (the supervisor's %s %.0f ms)%n",
            app.id,
            t,
            context.trials(),
            way.how.replace("`", ""),
            back.firstResponse(),
            standby ? "resume" : "restore",
            back.supervisor());
      }
    } finally {
      run.stop();
    }
    return start;
  }

  private String warmUp(Application app, int port) throws IOException {
    String last = "";
    for (int i = 0; i < WARM_UP_REQUESTS; i++) {
      HttpProbe.Response r = HttpProbe.get(port, "/increment");
      if (!r.ok()) {
        throw new IllegalStateException(app.id + " answered /increment with HTTP " + r.status());
      }
      last = r.body();
    }
    String warmed = Integer.toString(WARM_UP_REQUESTS);
    if (!last.equals(warmed)) {
      throw new IllegalStateException(
          app.id + " counted " + last + " after " + warmed + " increments");
    }
    return warmed;
  }

  /**
   * A training run on {@code java} that writes an AOT cache ({@code -XX:AOTCacheOutput}): the
   * application starts, serves the warm-up requests, and is stopped with SIGTERM, when the JVM
   * writes the cache.
   */
  private Path trainAotCache(Application app, Path java) throws IOException, InterruptedException {
    Path cache = context.scratch().resolve(app.id + ".aot");
    int port = Processes.freePort();
    Path log = context.scratch().resolve(app.id + "-aot-training.log");
    Process p =
        context.start(
            log, app.command(java, context.home(), port, List.of("-XX:AOTCacheOutput=" + cache)));
    BenchContext.firstCount(p, app.id + " (AOT training)", port, START_TIMEOUT, log);
    warmUp(app, port);
    p.destroy();
    if (!p.waitFor(120, TimeUnit.SECONDS) || !Files.exists(cache)) {
      throw new IllegalStateException(
          "the AOT training run of " + app.id + " wrote no cache; log:\n" + Processes.tail(log));
    }
    context.processes().forget(p.pid());
    return cache;
  }

  /** Milliseconds from launching the JVM to its first HTTP 200; the process is then killed. */
  private double coldStart(Application app, Path java, List<String> options)
      throws IOException, InterruptedException {
    int port = Processes.freePort();
    Path log = context.scratch().resolve(app.id + "-cold.log");
    ProcessBuilder builder =
        Processes.detached(log, app.command(java, context.home(), port, options));
    long start = System.nanoTime();
    Process p = context.processes().start(builder);
    BenchContext.firstCount(p, app.id + " (cold start)", port, START_TIMEOUT, log);
    long end = System.nanoTime();
    context.processes().killAndForget(p.pid());
    return (end - start) / 1e6;
  }
}
