package dev.cryo.bench.restore;

import dev.cryo.bench.report.BenchmarkSections;
import dev.cryo.bench.report.ReportArguments;
import dev.cryo.bench.report.MachineFacts;
import dev.cryo.bench.report.Statistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Measures what cryo restore buys a JVM service: the time from launching {@code bin/cryo restore}
 * to the first HTTP response, against the time from launching the JVM to its first response (a
 * cold start), for the Spring Boot example and the plain JDK counter server, and writes the
 * restore section of BENCHMARKS.md. Nothing is asserted about durations: the figures are
 * recorded, with the machine that produced them.
 *
 * <p>Usage (as root, with CRIU on the PATH, from the checkout): {@code RestoreBenchmarkReport
 * [--quick] [--output BENCHMARKS.md]}; {@code --quick} runs one trial of each instead of five.
 * {@code scripts/bench-restore} builds what it needs and runs it.
 */
public final class RestoreBenchmarkReport {
  static final String BEGIN = "<!-- cryo restore benchmarks: begin (written by scripts/bench-restore) -->";
  static final String END = "<!-- cryo restore benchmarks: end -->";
  static final int WARM_UP_REQUESTS = 200;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(120);

  private final Path home;
  private final Path scratch;
  private final int trials;
  private final Processes processes;
  private final CryoCli cryo;

  private RestoreBenchmarkReport(Path home, Path scratch, int trials, Processes processes) {
    this.home = home;
    this.scratch = scratch;
    this.trials = trials;
    this.processes = processes;
    this.cryo = new CryoCli(home, scratch.resolve("store"), scratch);
  }

  public static void main(String[] args) throws Exception {
    ReportArguments arguments = ReportArguments.parse("RestoreBenchmarkReport", args);
    boolean quick = arguments.quick();
    Path output = arguments.output();
    Path home = Path.of(System.getProperty("cryo.home", "")).toAbsolutePath().normalize();
    checkPrerequisites(home);
    int trials = quick ? 1 : 5;
    Path scratch = Files.createTempDirectory("cryo-bench-restore-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    List<Measured> measured = new ArrayList<>();
    double cliMillis;
    try {
      try (Processes processes = new Processes()) {
        RestoreBenchmarkReport bench = new RestoreBenchmarkReport(home, scratch, trials, processes);
        try {
          for (Application app : Application.values()) {
            measured.add(bench.measure(app));
          }
          cliMillis = bench.cliStartMillis();
        } finally {
          bench.deleteCheckpoints();
        }
      }
    } finally {
      deleteTree(scratch);
    }
    String section = render(String.join(" ", args), quick, trials, criuVersion(), cliMillis, measured);
    BenchmarkSections.writeSection(output, BEGIN, END, section);
    System.out.println("wrote the cryo restore section of " + output.toAbsolutePath());
  }

  private static void checkPrerequisites(Path home) throws IOException {
    String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
        .findFirst().map(l -> l.split("\\s+")[1]).orElse("?");
    if (!uid.equals("0")) {
      throw new IllegalStateException("checkpoint and restore need root; run scripts/bench-restore as root");
    }
    List<String> needed = new ArrayList<>(List.of("bin/cryo", "cryo-cli/target/cryo.jar", Application.AGENT));
    for (Application app : Application.values()) {
      needed.add(app.jar);
    }
    for (String file : needed) {
      if (!Files.exists(home.resolve(file))) {
        throw new IllegalStateException(home.resolve(file) + " is missing; build with "
            + "mvn -B -q -ntp -DskipTests install -pl cryo-bench -am, from " + home);
      }
    }
  }

  /**
   * One application's figures: durations in milliseconds, one entry per trial. For a restore:
   * {@code restoreMillis} to the first response, {@code cliExitMillis} until {@code cryo restore}
   * exited, and the verification and CRIU times it printed.
   */
  record Measured(Application app, String label, List<Double> coldMillis, List<Double> restoreMillis,
      List<Double> criuMillis, List<Double> verifyMillis, List<Double> cliExitMillis, String imageSize,
      long rssBytes) {
    /** Per trial, the CLI's time outside verification and CRIU: its JVM start and exit and other work. */
    List<Double> cliOverheadMillis() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < cliExitMillis.size(); i++) {
        out.add(cliExitMillis.get(i) - verifyMillis.get(i) - criuMillis.get(i));
      }
      return out;
    }

    /** Per trial, from the CLI's exit to the first response (negative if the application answered first). */
    List<Double> afterCliMillis() {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < cliExitMillis.size(); i++) {
        out.add(restoreMillis.get(i) - cliExitMillis.get(i));
      }
      return out;
    }
  }

  /** One restore trial, in milliseconds from launching {@code cryo restore}. */
  private record RestoreTrial(double firstResponse, double cliExit, double verify, double criu) {
  }

  private Measured measure(Application app) throws IOException, InterruptedException {
    System.out.println("bench-restore: " + app.id + ": starting, warming up and checkpointing");
    int port = Processes.freePort();
    Path log = scratch.resolve(app.id + ".log");
    Process original = processes.start(Processes.detached(log, app.command(home, port)));
    long pid = original.pid();
    HttpProbe.firstOk(port, "/count", START_TIMEOUT, () -> original.isAlive() ? null
        : app.id + " exited with " + original.exitValue() + " before answering; log:\n" + Processes.tail(log));
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
    long rss = Processes.residentBytes(pid);
    CryoCli.Result checkpoint = cryo.run("checkpoint", Long.toString(pid), "--name", app.id).requireOk();
    String imageSize = CryoCli.imageSize(checkpoint.stderr());
    if (!original.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cryo checkpoint did not end PID " + pid + ":\n" + checkpoint.stderr());
    }
    Processes.awaitGone(pid, Duration.ofSeconds(30));
    processes.forget(pid);

    List<Double> cold = new ArrayList<>();
    List<Double> restore = new ArrayList<>();
    List<Double> criu = new ArrayList<>();
    List<Double> verify = new ArrayList<>();
    List<Double> cliExit = new ArrayList<>();
    for (int t = 1; t <= trials; t++) {
      cold.add(coldStart(app, t));
      RestoreTrial trial = restore(app, port, pid, warmed, t);
      restore.add(trial.firstResponse());
      cliExit.add(trial.cliExit());
      verify.add(trial.verify());
      criu.add(trial.criu());
      System.out.printf(Locale.ROOT, "bench-restore: %s trial %d/%d: cold start %.0f ms, cryo restore %.0f ms "
          + "(CLI exit at %.0f ms, verify %.0f ms, CRIU %.0f ms)%n", app.id, t, trials, cold.get(t - 1),
          trial.firstResponse(), trial.cliExit(), trial.verify(), trial.criu());
    }
    return new Measured(app, app.label(home), cold, restore, criu, verify, cliExit, imageSize, rss);
  }

  /** Milliseconds from launching the JVM to its first HTTP 200; the process is then killed. */
  private double coldStart(Application app, int trial) throws IOException, InterruptedException {
    int port = Processes.freePort();
    Path log = scratch.resolve(app.id + "-cold-" + trial + ".log");
    ProcessBuilder builder = Processes.detached(log, app.command(home, port));
    long start = System.nanoTime();
    Process p = processes.start(builder);
    HttpProbe.firstOk(port, "/count", START_TIMEOUT, () -> p.isAlive() ? null
        : app.id + " (cold start) exited with " + p.exitValue() + " before answering; log:\n" + Processes.tail(log));
    long end = System.nanoTime();
    processes.killAndWait(p.pid());
    return (end - start) / 1e6;
  }

  /**
   * Milliseconds from launching {@code cryo restore} to the restored application's first HTTP
   * 200, which must show the warmed counter, with when the CLI exited and the times it printed.
   * The restored process is then killed.
   */
  private RestoreTrial restore(Application app, int port, long pid, String warmed, int trial)
      throws IOException, InterruptedException {
    Path[] files = cryo.outputFiles();
    ProcessBuilder builder = cryo.builder(files[0], files[1], "restore", app.id);
    processes.track(pid);
    long start = System.nanoTime();
    Process cli = builder.start();
    CompletableFuture<Long> exited = cli.onExit().thenApply(p -> System.nanoTime());
    HttpProbe.Response first;
    try {
      first = HttpProbe.firstOk(port, "/count", RESTORE_TIMEOUT, () -> cli.isAlive() || cli.exitValue() == 0
          ? null : "cryo restore " + app.id + " failed with exit " + cli.exitValue() + ":\n" + read(files[1]));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n--- log of " + app.id + ":\n"
          + Processes.tail(scratch.resolve(app.id + ".log")), e);
    }
    long end = System.nanoTime();
    CryoCli.Result result = CryoCli.finish(cli, files, "restore " + app.id).requireOk();
    CryoCli.Restored restored = CryoCli.restored(result.stderr());
    if (restored.pid() != pid) {
      throw new IllegalStateException("cryo restore reported PID " + restored.pid() + ", expected " + pid);
    }
    if (!first.body().equals(warmed)) {
      throw new IllegalStateException("restore " + trial + " of " + app.id + " answered /count with '"
          + first.body() + "', expected the warmed value " + warmed);
    }
    processes.killAndWait(pid);
    long exit;
    try {
      exit = exited.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("no exit time for cryo restore", e);
    }
    return new RestoreTrial((end - start) / 1e6, (exit - start) / 1e6, restored.verifySeconds() * 1000,
        restored.restoreSeconds() * 1000);
  }

  /** Median wall time of {@code bin/cryo --version}: the CLI's JVM start and exit with no work. */
  private double cliStartMillis() throws IOException, InterruptedException {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < Math.max(trials, 3); i++) {
      long start = System.nanoTime();
      cryo.run("--version").requireOk();
      millis.add((System.nanoTime() - start) / 1e6);
    }
    return Statistics.median(millis);
  }

  private void deleteCheckpoints() {
    for (Application app : Application.values()) {
      try {
        cryo.run("delete", app.id);
      } catch (IOException | RuntimeException e) {
        System.err.println("bench-restore: could not delete checkpoint " + app.id + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String criuVersion() {
    try {
      Process p = new ProcessBuilder("criu", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out.lines().filter(l -> l.startsWith("Version:")).findFirst()
          .map(l -> "CRIU " + l.substring("Version:".length()).trim()).orElse("CRIU (version unknown)");
    } catch (IOException e) {
      return "CRIU (version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "CRIU (version unknown)";
    }
  }

  static String render(String arguments, boolean quick, int trials, String criu, double cliMillis,
      List<Measured> measured) {
    StringBuilder md = new StringBuilder();
    md.append(BEGIN).append("\n## cryo restore against a cold start: time to the first HTTP response\n\n");
    md.append("Produced by `scripts/bench-restore").append(arguments.isEmpty() ? "" : " " + arguments)
        .append("` on ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
        .append(", ").append(MachineFacts.describe()).append(", ").append(criu).append(". ")
        .append(trials).append(trials == 1 ? " trial" : " trials")
        .append(" of each, cold starts and restores alternating; figures are the median (min–max).");
    if (quick) {
      md.append(" **Smoke configuration (`--quick`): one trial; the figures only show that the harness runs.**");
    }
    md.append("\n\nWhat is measured is the wall clock from launching the command (`java …` for a cold start, "
        + "`bin/cryo restore NAME` for a restore) to the first successful HTTP response (200) to `GET /count`, "
        + "polled every 5 ms on a fresh loopback connection; a restore's time includes the cryo CLI's own JVM "
        + "start and the verification of the images. Both applications run on the JDK above with the cryo agent "
        + "(`-javaagent:cryo-runtime.jar`), and were warmed with ").append(WARM_UP_REQUESTS)
        .append(" requests to `/increment` before their one checkpoint; every restore answered with the warmed "
            + "count. \"Of which CRIU restore\" is the `restore` time cryo prints; the RSS is VmRSS just before the "
            + "checkpoint.\n\n");
    md.append("| application | cold start to first response | cryo restore to first response | of which CRIU restore "
        + "| ratio cold/restore | image size | RSS before checkpoint |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Measured m : measured) {
      md.append("| ").append(m.label()).append(" | ").append(spread(m.coldMillis())).append(" | ")
          .append(spread(m.restoreMillis())).append(" | ").append(spread(m.criuMillis())).append(" | **")
          .append(ratio(Statistics.median(m.coldMillis()) / Statistics.median(m.restoreMillis()))).append("** | ")
          .append(m.imageSize()).append(" | ")
          .append(String.format(Locale.ROOT, "%.1f MiB", m.rssBytes() / (1024.0 * 1024.0))).append(" |\n");
    }
    md.append(reading(cliMillis, measured));
    md.append(END).append("\n");
    return md.toString();
  }

  /** Three sentences computed from the figures: the gain, and what the restore time is made of. */
  static String reading(double cliMillis, List<Measured> measured) {
    List<String> gains = new ArrayList<>();
    List<String> criu = new ArrayList<>();
    List<String> verify = new ArrayList<>();
    List<String> exits = new ArrayList<>();
    List<String> overheads = new ArrayList<>();
    List<String> afters = new ArrayList<>();
    for (Measured m : measured) {
      double cold = Statistics.median(m.coldMillis());
      double restore = Statistics.median(m.restoreMillis());
      gains.add(String.format(Locale.ROOT, "for %s a restore reaches its first response %s than a cold start "
          + "(%,.0f ms against %,.0f ms)", name(m), restore <= cold ? ratio(cold / restore) + " sooner"
          : ratio(restore / cold) + " later", restore, cold));
      criu.add(share(Statistics.median(m.criuMillis()), restore) + " of " + name(m) + "'s");
      verify.add(share(Statistics.median(m.verifyMillis()), restore) + " for its " + m.imageSize());
      exits.add(String.format(Locale.ROOT, "%,.0f ms", Statistics.median(m.cliExitMillis())));
      overheads.add(share(Statistics.median(m.cliOverheadMillis()), restore));
      double after = Statistics.median(m.afterCliMillis());
      afters.add(String.format(Locale.ROOT, "%,.0f ms %s", Math.abs(after), after >= 0 ? "after" : "before"));
    }
    StringBuilder r = new StringBuilder("\n### Reading\n\n");
    String first = String.join("; ", gains);
    r.append(Character.toUpperCase(first.charAt(0))).append(first.substring(1)).append(". ");
    r.append("Of the median restore, CRIU itself takes ").append(String.join(" and ", criu))
        .append(", and verifying the images ").append(String.join(" and ", verify)).append(". ");
    r.append("`cryo restore` exits after ").append(String.join(" and ", exits))
        .append("; outside verification and CRIU, the CLI takes ").append(String.join(" and ", overheads))
        .append(String.format(Locale.ROOT, ": its JVM start and exit (a bare `bin/cryo --version` takes %,.0f ms here) "
            + "and the rest of its work, which includes telling the restored process that it was restored and "
            + "waiting for its answer; the applications answer HTTP ", cliMillis)).append(String.join(" and ", afters))
        .append(" the CLI exits.\n");
    return r.toString();
  }

  private static String name(Measured m) {
    return m.app() == Application.SPRING ? "Spring Boot" : "the plain JDK server";
  }

  private static String share(double part, double whole) {
    return String.format(Locale.ROOT, "%,.0f ms (%.0f%%)", part, 100 * part / whole);
  }

  static String ratio(double ratio) {
    return Double.isNaN(ratio) ? "n/a"
        : String.format(Locale.ROOT, ratio >= 10 ? "%.0f×" : ratio >= 1 ? "%.1f×" : "%.2f×", ratio);
  }

  static String spread(List<Double> millis) {
    double median = Statistics.median(millis);
    double min = Collections.min(millis);
    double max = Collections.max(millis);
    return millis.size() == 1 ? String.format(Locale.ROOT, "%,.0f ms", median)
        : String.format(Locale.ROOT, "%,.0f ms (%,.0f–%,.0f)", median, min, max);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
