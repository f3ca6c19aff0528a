package dev.cryo.bench.restore;

import dev.cryo.bench.harness.CryoCli;
import dev.cryo.bench.harness.HttpProbe;
import dev.cryo.bench.harness.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An application under {@code cryo run}, checkpointed by its supervisor every two seconds,
 * whose restores after a crash are timed: from {@code kill -9} of the program to its first HTTP
 * response, with the supervisor (an already running JVM) noticing the death and restoring the
 * newest checkpoint. This is the restore without the start of a command-line JVM. Each kill
 * waits for a checkpoint taken since the last restore: without one, the supervisor would count
 * the kills as a crash loop and wait longer before each restore.
 */
final class SupervisedRun {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  private final String name;
  private final int port;
  private final CryoCli cryo;
  private String expectedCount;

  private SupervisedRun(String name, int port, CryoCli cryo) {
    this.name = name;
    this.port = port;
    this.cryo = cryo;
  }

  /**
   * Starts {@code app} under {@code cryo run} and warms it with {@code warmed} requests; a
   * restore must then answer the count it has once a checkpoint has been taken after them.
   */
  static SupervisedRun start(Application app, Path java, Path home, CryoCli cryo, Processes processes, String warmed)
      throws IOException, InterruptedException {
    String name = app.id + "-run";
    int port = Processes.freePort();
    List<String> command = new ArrayList<>(List.of("run", "--name", name, "--every", "2s", "--keep", "2", "--"));
    command.addAll(app.command(java, home, port, List.of()));
    cryo.run(command.toArray(String[]::new)).requireOk();
    SupervisedRun run = new SupervisedRun(name, port, cryo);
    try {
      HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null);
      // The application stops serving for each checkpoint: a request that finds it so is sent again.
      for (int i = 0; i < Integer.parseInt(warmed); i++) {
        HttpProbe.firstOk(port, "/increment", TIMEOUT, () -> null);
      }
      // One checkpoint may have been under way during the warm-up: the one after it has the warmed state.
      run.awaitCheckpoints(run.checkpoints() + 2);
      run.expectedCount = HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null).body();
    } catch (IOException | InterruptedException | RuntimeException e) {
      run.stop();
      throw e;
    }
    return run;
  }

  /** How many checkpoints the supervisor has taken (its {@code checkpointed} events). */
  private int checkpoints() throws IOException, InterruptedException {
    return (int) cryo.run("events", name).requireOk().stdout().lines()
        .filter(l -> l.matches("\\S+\\s+checkpointed\\s.*")).count();
  }

  private int awaitCheckpoints(int count) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    for (int n; (n = checkpoints()) < count; ) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " took " + n + " checkpoints, not " + count + ", in "
            + TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
    return count;
  }

  /** Milliseconds from killing the program to its first response, restored by its supervisor. */
  double killAndAwaitRestore() throws IOException, InterruptedException {
    // Kill it just after a checkpoint, the next one two seconds away.
    awaitCheckpoints(checkpoints() + 1);
    long pid = programPid();
    long start = System.nanoTime();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Processes.awaitGone(pid, TIMEOUT);
    HttpProbe.Response first = HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null);
    long end = System.nanoTime();
    if (!first.body().equals(expectedCount)) {
      throw new IllegalStateException(name + " answered /count with '" + first.body() + "' after its restore, expected "
          + expectedCount);
    }
    return (end - start) / 1e6;
  }

  void stop() {
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
      for (String line : cryo.run("ps").requireOk().stdout().lines().toList()) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length > 2 && columns[0].equals(name) && columns[1].matches("\\d+")
            && columns[2].equalsIgnoreCase("running")) {
          return Long.parseLong(columns[1]);
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " is not running according to cryo ps");
  }
}
