package dev.cryo.bench.restore;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An application under {@code cryo run}, as a user runs it: started by the command line,
 * checkpointed by its supervisor every {@code --every}, and followed through the run's events. Two
 * figures exist only for a supervised program: its restore after a crash by a supervisor that is
 * already running (without the start of a command-line JVM), and what its clients see while it is
 * checkpointed periodically.
 *
 * @param name the run's name
 * @param port the loopback port the program serves on
 * @param cryo the command line that started it
 */
public record SupervisedRun(String name, int port, CryoCli cryo) {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  /**
   * Starts {@code app} on a free loopback port as run {@code name}, checkpointed every {@code
   * every} (a {@code cryo run --every} value) keeping its newest two checkpoints, and returns once
   * it answers {@code GET /count}.
   */
  public static SupervisedRun start(
      Application app, String name, String every, BenchContext context)
      throws IOException, InterruptedException {
    int port = Processes.freePort();
    List<String> command =
        new ArrayList<>(List.of("run", "--name", name, "--every", every, "--keep", "2", "--"));
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
   * Milliseconds from killing the program to its first response, restored by its supervisor, which
   * must answer {@code expectedCount} ({@link #warmForRestores}).
   */
  double killAndAwaitRestore(String expectedCount) throws IOException, InterruptedException {
    // Kill it just after a checkpoint, the next one two seconds away.
    awaitCheckpoints(checkpoints() + 1);
    long pid = programPid();
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
              + "' after its restore, expected "
              + expectedCount);
    }
    return (end - start) / 1e6;
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
