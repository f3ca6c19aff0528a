package dev.cryo.bench.harness;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every process the harness is responsible for, started the way a checkpointable program runs (a
 * session of its own, stdin from /dev/null, output appended to a file: a pipe to the harness would
 * lie outside the dumped tree), and killed on {@link #close()} if a trial fails midway, restored
 * copies included.
 */
public final class Processes implements AutoCloseable {
  private final Set<Long> owned = new LinkedHashSet<>();

  /** A command that will run detached with its output appended to {@code log}; start it with {@link #start}. */
  public static ProcessBuilder detached(Path log, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("setsid"));
    argv.addAll(command);
    return new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** Starts {@code builder} and remembers the process to kill. */
  public Process start(ProcessBuilder builder) throws IOException {
    Process p = builder.start();
    owned.add(p.pid());
    return p;
  }

  /** Remembers a PID that is about to be ours (a restored process) to kill. */
  public void track(long pid) {
    owned.add(pid);
  }

  /** Forgets a PID that is gone. */
  public void forget(long pid) {
    owned.remove(pid);
  }

  /** kill -9, then waits until the PID has vanished (reaped, free for a restore). */
  public void killAndWait(long pid) throws InterruptedException {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    awaitGone(pid, Duration.ofSeconds(30));
    owned.remove(pid);
  }

  /** Waits until no process has {@code pid}, zombies included. */
  public static void awaitGone(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Files.exists(Path.of("/proc", Long.toString(pid)))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("PID " + pid + " still exists after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(2);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  /** Resident set size of {@code pid} (VmRSS), in bytes. */
  public static long residentBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for PID " + pid);
  }

  /** The last lines of a log, for error messages. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    for (long pid : owned) {
      ProcessHandle.of(pid).ifPresent(h -> {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      });
    }
    for (long pid : owned) {
      try {
        awaitGone(pid, Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IllegalStateException e) {
        System.err.println("bench: " + e.getMessage());
      }
    }
    owned.clear();
  }
}
