package dev.cryo.bench.restore;

import dev.cryo.bench.harness.CryoCli;
import dev.cryo.bench.harness.HttpProbe;
import dev.cryo.bench.harness.Jdks;
import dev.cryo.bench.harness.Processes;
import dev.cryo.bench.harness.RawCriu;
import dev.cryo.bench.harness.RestoreTrials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How soon an application answers its first HTTP request, started every way a user could start
 * it: a cold start (on the harness's JDK and on the newest, with and without its AOT cache), a
 * raw {@code criu restore} of a plain dump, and {@code cryo restore} of a coordinated checkpoint.
 * The warmed application is dumped both ways once; then the starts alternate, trial by trial.
 */
public final class FirstResponseBenchmark {
  public static final int WARM_UP_REQUESTS = 200;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path home;
  private final Path scratch;
  private final int trials;
  private final Processes processes;
  private final CryoCli cryo;
  private final RestoreTrials restores;

  public FirstResponseBenchmark(Path home, Path scratch, int trials, Processes processes, CryoCli cryo) {
    this.home = home;
    this.scratch = scratch;
    this.trials = trials;
    this.processes = processes;
    this.cryo = cryo;
    this.restores = new RestoreTrials(scratch, processes, cryo);
  }

  /** One way of starting, with its time to the first response in each trial, in milliseconds. */
  public record Start(String how, List<Double> millis) {
  }

  /**
   * One application's figures. {@code starts} begins with the cold start on the harness's JDK,
   * the baseline of every ratio; {@code cryoRestore} has {@code cryo restore}'s breakdown.
   */
  public record Result(Application app, String label, long rssBytes, long rawImageBytes, long cryoImageBytes,
      List<Start> starts, CryoRestore cryoRestore) {
    public Start baseline() {
      return starts.get(0);
    }
  }

  /** {@code cryo restore}: per trial, the CLI's exit and the verification and CRIU times it printed. */
  public record CryoRestore(List<Double> cliExitMillis, List<Double> verifyMillis, List<Double> criuMillis) {
  }

  public static List<Application> applications() {
    return List.of(Application.values());
  }

  public Result measure(Application app) throws IOException, InterruptedException {
    System.out.println("bench: " + app.id + ": starting, warming up and checkpointing");
    Path java = Jdks.current();
    int port = Processes.freePort();
    Path log = scratch.resolve(app.id + ".log");
    Process original = processes.start(Processes.detached(log,
        app.command(java, home, port, List.of(Application.agent(home)))));
    long pid = original.pid();
    HttpProbe.firstOk(port, "/count", START_TIMEOUT, () -> original.isAlive() ? null
        : app.id + " exited with " + original.exitValue() + " before answering; log:\n" + Processes.tail(log));
    String warmed = warmUp(app, port);
    long rss = Processes.residentBytes(pid);
    Path rawImages = scratch.resolve("raw-" + app.id);
    RawCriu.dump(pid, rawImages, true);
    CryoCli.Result checkpoint = cryo.run("checkpoint", Long.toString(pid), "--name", app.id).requireOk();
    long cryoBytes = RawCriu.imageBytes(cryo.imagesDir(checkpoint.stdout().trim()));
    if (!original.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cryo checkpoint did not end PID " + pid + ":\n" + checkpoint.stderr());
    }
    Processes.awaitGone(pid, Duration.ofSeconds(30));
    processes.forget(pid);

    Optional<Path> newest = Jdks.withAotCache();
    Optional<Path> aotCache = newest.isPresent() ? Optional.of(trainAotCache(app, newest.get())) : Optional.empty();
    List<Start> starts = new ArrayList<>();
    starts.add(new Start("cold start, JDK " + Runtime.version().feature(), new ArrayList<>()));
    newest.ifPresent(j -> starts.add(new Start("cold start, JDK " + Jdks.AOT_CACHE_FEATURE + "+", new ArrayList<>())));
    aotCache.ifPresent(c -> starts.add(new Start("cold start, JDK " + Jdks.AOT_CACHE_FEATURE
        + "+ with its AOT cache", new ArrayList<>())));
    starts.add(new Start("`criu restore` of a plain `criu dump`", new ArrayList<>()));
    starts.add(new Start("`cryo restore`", new ArrayList<>()));
    CryoRestore breakdown = new CryoRestore(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int t = 1; t <= trials; t++) {
      int s = 0;
      starts.get(s++).millis().add(coldStart(app, java, List.of(), t));
      if (newest.isPresent()) {
        starts.get(s++).millis().add(coldStart(app, newest.get(), List.of(), t));
      }
      if (aotCache.isPresent()) {
        starts.get(s++).millis().add(coldStart(app, newest.get(), List.of("-XX:AOTCache=" + aotCache.get()), t));
      }
      starts.get(s++).millis().add(restores.raw(app.id, rawImages, port, pid, warmed));
      RestoreTrials.CryoTrial trial = restores.cryo(app.id, port, pid, warmed);
      starts.get(s).millis().add(trial.firstResponse());
      breakdown.cliExitMillis().add(trial.cliExit());
      breakdown.verifyMillis().add(trial.verify());
      breakdown.criuMillis().add(trial.criu());
      StringBuilder line = new StringBuilder("bench: " + app.id + " trial " + t + "/" + trials + ":");
      for (Start start : starts) {
        line.append(String.format(Locale.ROOT, " %s %.0f ms;", start.how().replace("`", ""),
            start.millis().get(t - 1)));
      }
      System.out.println(line);
    }
    return new Result(app, app.label(home), rss, RawCriu.imageBytes(rawImages), cryoBytes, starts, breakdown);
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
      throw new IllegalStateException(app.id + " counted " + last + " after " + warmed + " increments");
    }
    return warmed;
  }

  /**
   * A training run on {@code java} that writes an AOT cache ({@code -XX:AOTCacheOutput}): the
   * application starts, serves the warm-up requests, and is stopped with SIGTERM, when the JVM
   * writes the cache.
   */
  private Path trainAotCache(Application app, Path java) throws IOException, InterruptedException {
    Path cache = scratch.resolve(app.id + ".aot");
    int port = Processes.freePort();
    Path log = scratch.resolve(app.id + "-aot-training.log");
    Process p = processes.start(Processes.detached(log,
        app.command(java, home, port, List.of("-XX:AOTCacheOutput=" + cache))));
    HttpProbe.firstOk(port, "/count", START_TIMEOUT, () -> p.isAlive() ? null
        : app.id + " (AOT training) exited with " + p.exitValue() + "; log:\n" + Processes.tail(log));
    warmUp(app, port);
    p.destroy();
    if (!p.waitFor(120, TimeUnit.SECONDS) || !Files.exists(cache)) {
      throw new IllegalStateException("the AOT training run of " + app.id + " wrote no cache; log:\n"
          + Processes.tail(log));
    }
    processes.forget(p.pid());
    return cache;
  }

  /** Milliseconds from launching the JVM to its first HTTP 200; the process is then killed. */
  private double coldStart(Application app, Path java, List<String> options, int trial)
      throws IOException, InterruptedException {
    int port = Processes.freePort();
    Path log = scratch.resolve(app.id + "-cold-" + trial + ".log");
    ProcessBuilder builder = Processes.detached(log, app.command(java, home, port, options));
    long start = System.nanoTime();
    Process p = processes.start(builder);
    HttpProbe.firstOk(port, "/count", START_TIMEOUT, () -> p.isAlive() ? null
        : app.id + " (cold start) exited with " + p.exitValue() + " before answering; log:\n" + Processes.tail(log));
    long end = System.nanoTime();
    processes.killAndWait(p.pid());
    return (end - start) / 1e6;
  }
}
