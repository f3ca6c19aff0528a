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
 * An application under {@code cryo run}, checkpointed once when warm, whose restores after a
 * crash are timed: from {@code kill -9} of the program to its first HTTP response, with the
 * supervisor (an already running JVM) noticing the death and restoring the checkpoint. This is
 * the restore without the start of a command-line JVM.
 */
final class SupervisedRun {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  private final String name;
  private final int port;
  private final CryoCli cryo;
  private final String expectedCount;

  private SupervisedRun(String name, int port, CryoCli cryo, String expectedCount) {
    this.name = name;
    this.port = port;
    this.cryo = cryo;
    this.expectedCount = expectedCount;
  }

  /** Starts {@code app} under {@code cryo run}, warms it to {@code warmed} and checkpoints it. */
  static SupervisedRun start(Application app, Path java, Path home, CryoCli cryo, Processes processes, String warmed)
      throws IOException, InterruptedException {
    String name = app.id + "-run";
    int port = Processes.freePort();
    List<String> command = new ArrayList<>(List.of("run", "--name", name, "--every", "1h", "--"));
    command.addAll(app.command(java, home, port, List.of()));
    cryo.run(command.toArray(String[]::new)).requireOk();
    HttpProbe.firstOk(port, "/count", TIMEOUT, () -> null);
    for (int i = 0; i < Integer.parseInt(warmed); i++) {
      HttpProbe.get(port, "/increment");
    }
    cryo.run("checkpoint", name).requireOk();
    return new SupervisedRun(name, port, cryo, warmed);
  }

  /** Milliseconds from killing the program to its first response, restored by its supervisor. */
  double killAndAwaitRestore() throws IOException, InterruptedException {
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

  void stop() throws IOException, InterruptedException {
    cryo.run("stop", name).requireOk();
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
