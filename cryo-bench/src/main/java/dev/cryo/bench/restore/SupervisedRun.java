package dev.cryo.bench.restore;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application under {@code cryo run}, as a user runs it: started by the command line,
 * checkpointed by its supervisor every {@code --every}, and followed through the run's events. Some
 * figures exist only for a supervised program: its restore after a crash by a supervisor that is
 * already running (without the start of a command-line JVM), the resume of a standby prepared ahead
 * of time ({@code --standby}) in its place, and what its clients see while it is checkpointed
 * periodically.
 *
 * @param name the run's name
 * @param port the loopback port the program serves on
 * @param cryo the command line that started it
 */
public record SupervisedRun(String name, int port, CryoCli cryo) {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  /** The duration a {@code restored} or {@code resumed} event reports. */
  private static final Pattern BROUGHT_BACK_IN =
      Pattern.compile(" in (\\d+(?:\\.\\d+)?) s; PID \\d+");

  /**
   * One kill and the program back, in milliseconds.
   *
   * @param firstResponse from the kill to the first response with the expected count
   * @param supervisor what the supervisor's {@code restored} or {@code resumed} event says its
   *     restore or resume took
   */
  public record Comeback(double firstResponse, double supervisor) {}

  /**
   * Starts {@code app} on a free loopback port as run {@code name}, checkpointed every {@code
   * every} (a {@code cryo run --every} value) keeping its newest two checkpoints, with {@code
   * runOptions} (such as {@code --standby}) besides, and returns once it answers {@code GET
   * /count}.
   */
  public static SupervisedRun start(
      Application app, String name, String every, BenchContext context, String... runOptions)
      throws IOException, InterruptedException {
    int port = Processes.freePort();
    List<String> command =
        new ArrayList<>(List.of("run", "--name", name, "--every", every, "--keep", "2"));
    command.addAll(List.of(runOptions));
    command.add("--");
    command.addAll(app.command(Jdks.current(), context.home(), port, List.of()));
    context.cryo().run(command.toArray(String[]::new)).assertOk();
    SupervisedRun run = new SupervisedRun(name, port, context.cryo());
    try {
      HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null);
    } catch (InterruptedException | RuntimeException e) {
      run.stop();
      throw e;
    }
    return run;
  }

  /**
   * Sends {@code warmed} requests to {@code /increment} and returns the count a restore must then
   * answer, once a checkpoint has been taken after them.
   */
  String warmForRestores(String warmed) throws IOException, InterruptedException {
    // The application stops serving for each checkpoint: a request that finds it so is sent again.
    for (int i = 0; i < Integer.parseInt(warmed); i++) {
      HttpProbe.firstOk(port, "/increment", TIMEOUT, () -> null);
    }
    // One checkpoint may have been under way during the warm-up: the one after it has the warmed
    // state.
    awaitCheckpoints(checkpoints() + 2);
    return HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null).body();
  }

  /** The run's events so far, oldest first. */
  public List<CryoCli.RunEvent> events() throws IOException {
    return cryo.events(name);
  }

  /** How many checkpoints the supervisor has taken (its {@code checkpointed} events). */
  private int checkpoints() throws IOException {
    return (int) events().stream().filter(e -> e.type().equals("checkpointed")).count();
  }

  /** Waits until the supervisor has taken {@code count} checkpoints in all. */
  public void awaitCheckpoints(int count) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    for (int n; (n = checkpoints()) < count; ) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + " took "
                + n
                + " checkpoints, not "
                + count
                + ", in "
                + TIMEOUT.toSeconds()
                + " s");
      }
      Thread.sleep(50);
    }
  }

  /** Waits for the first event that {@code wanted} accepts, and returns it. */
  public CryoCli.RunEvent awaitEvent(Predicate<CryoCli.RunEvent> wanted)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Optional<CryoCli.RunEvent> found = events().stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " recorded no awaited event in " + TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Kills the program just after a checkpoint and times it back to its first response, restored by
   * its supervisor, which must answer {@code expectedCount} ({@link #warmForRestores}).
   */
  Comeback killAndAwaitRestore(String expectedCount) throws IOException, InterruptedException {
    // Kill it just after a checkpoint, the next one two seconds away.
    awaitCheckpoints(checkpoints() + 1);
    return killAndAwait(expectedCount, "restored");
  }

  /**
   * Kills the program once a standby of its newest checkpoint is ready and times it back to its
   * first response, which must come from that standby, resumed ({@code cryo run --standby}), and
   * answer {@code expectedCount}.
   */
  Comeback killAndAwaitResume(String expectedCount) throws IOException, InterruptedException {
    awaitCheckpoints(checkpoints() + 1);
    awaitStandby(newest("checkpointed").orElseThrow().instant());
    return killAndAwait(expectedCount, "resumed");
  }

  /**
   * Waits until the supervisor records a standby prepared after {@code checkpointed}: its run's
   * {@code standby} file, written once one is ready.
   */
  private void awaitStandby(Instant checkpointed) throws IOException, InterruptedException {
    Path record = cryo.store().resolve("runs").resolve(name).resolve("standby");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        if (!Files.getLastModifiedTime(record).toInstant().isBefore(checkpointed)) {
          return;
        }
      } catch (NoSuchFileException notYet) {
        // Being prepared, or not at all: the events say which.
      }
      Optional<CryoCli.RunEvent> failed =
          newest("standby-failed").filter(e -> !e.instant().isBefore(checkpointed));
      if (failed.isPresent()) {
        throw new IllegalStateException(
            name + " has no standby to resume: " + failed.get().message());
      }
      if (System.nanoTime() > deadline) {
        // A failure repeated for the same reason is recorded once: the older event says why.
        throw new IllegalStateException(
            name
                + " had no standby ready "
                + TIMEOUT.toSeconds()
                + " s after its checkpoint"
                + newest("standby-failed")
                    .map(e -> "; last failure: " + e.message())
                    .orElse("; is it run with --standby?"));
      }
      Thread.sleep(20);
    }
  }

  private Comeback killAndAwait(String expectedCount, String expectedEvent)
      throws IOException, InterruptedException {
    long pid = programPid();
    Instant killed = Instant.now();
    long start = System.nanoTime();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Processes.awaitGone(pid, TIMEOUT);
    HttpProbe.Response first = HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null);
    long end = System.nanoTime();
    if (!first.body().equals(expectedCount)) {
      throw new IllegalStateException(
          name
              + " answered /count with '"
              + first.body()
              + "' after its "
              + expectedEvent
              + " copy came back, expected "
              + expectedCount);
    }
    // The program may answer before its supervisor has appended the event.
    CryoCli.RunEvent back =
        awaitEvent(
            e ->
                (e.type().equals("restored") || e.type().equals("resumed"))
                    && e.instant().isAfter(killed));
    if (!back.type().equals(expectedEvent)) {
      throw new IllegalStateException(
          name
              + " was "
              + back.type()
              + " after kill -9, not "
              + expectedEvent
              + ": "
              + back.message());
    }
    Matcher took = BROUGHT_BACK_IN.matcher(back.message());
    if (!took.find()) {
      throw new IllegalStateException(
          name + "'s " + back.type() + " event gives no duration: " + back.message());
    }
    return new Comeback((end - start) / 1e6, Double.parseDouble(took.group(1)) * 1000);
  }

  /** The run's newest event of {@code type}, if any. */
  private Optional<CryoCli.RunEvent> newest(String type) throws IOException {
    List<CryoCli.RunEvent> all = events();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).type().equals(type)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  /** {@code cryo stop}: ends the program and its supervisor. */
  public void stop() {
    try {
      cryo.run("stop", name);
    } catch (IOException e) {
      System.err.println("bench: could not stop " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The program's PID as {@code cryo ps} shows it, once it runs again. */
  private long programPid() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : cryo.run("ps").assertOk().stdout().lines().toList()) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length > 2
            && columns[0].equals(name)
            && columns[1].matches("\\d+")
            && columns[2].equalsIgnoreCase("running")) {
          return Long.parseLong(columns[1]);
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " is not running according to cryo ps");
  }
}
