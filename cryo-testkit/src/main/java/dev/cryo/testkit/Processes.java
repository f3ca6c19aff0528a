package dev.cryo.testkit;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.ProcessStatus;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Every process a test or a benchmark is responsible for, started the way a checkpointable program
 * runs (a session of its own, stdin from /dev/null, output appended to a file: a pipe to the caller
 * would lie outside the dumped tree), and killed on {@link #close()}, restored copies included, so
 * that a failure midway leaves nothing behind.
 */
public final class Processes implements AutoCloseable {
  private final Set<Long> owned = new LinkedHashSet<>();
  private final Path logs;

  /**
   * Processes whose services ({@link #startCounterServer}, {@link #startService}) log to {@code
   * logs}.
   */
  public Processes(Path logs) {
    this.logs = logs;
  }

  /**
   * A command that will run detached with its output appended to {@code log}; start it with {@link
   * #start}.
   */
  public static ProcessBuilder detached(Path log, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("setsid"));
    argv.addAll(command);
    return new ProcessBuilder(argv)
        .redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** Starts {@code builder} and remembers the process to kill. */
  public Process start(ProcessBuilder builder) throws IOException {
    Process p = builder.start();
    owned.add(p.pid());
    return p;
  }

  /** Starts {@code command} detached, with stdout and stderr appended to {@code log}. */
  public Process startDetached(Path log, String... command) throws IOException {
    return start(detached(log, List.of(command)));
  }

  /**
   * Starts the counter server of cryo-test-programs on a free loopback port and waits until it
   * serves.
   */
  public CounterClient startCounterServer() throws Exception {
    return startCounterServer("-Xmx64m");
  }

  /** The counter server with these JVM options, such as a large pre-touched heap. */
  public CounterClient startCounterServer(String... jvmOptions) throws Exception {
    int port = freePort();
    Path log = logs.resolve("counter-" + port + ".log");
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:-UsePerfData"));
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-cp",
            RuntimeApps.EXAMPLES.toAbsolutePath().toString(),
            "dev.cryo.testprograms.CounterServer",
            Integer.toString(port)));
    Process p = startDetached(log, command.toArray(String[]::new));
    awaitTrue(
        "the counter server to print 'ready'",
        Duration.ofSeconds(30),
        () -> Files.exists(log) && read(log).contains("ready " + port));
    return new CounterClient(p, port);
  }

  /**
   * Starts a JVM service on a free loopback port with {@code java} (a JDK's binary), the given JVM
   * options and main arguments ({@code PORT} in them is replaced), and waits until it answers
   * {@code probePath}. Its output goes to {@code NAME-PORT.log} in the log directory.
   */
  public CounterClient startService(
      String name,
      String java,
      List<String> jvmOptions,
      List<String> mainArguments,
      String probePath)
      throws Exception {
    int port = freePort();
    Path log = logs.resolve(name + "-" + port + ".log");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    mainArguments.forEach(a -> command.add(a.replace("PORT", Integer.toString(port))));
    Process p = startDetached(log, command.toArray(String[]::new));
    CounterClient service = new CounterClient(p, port);
    awaitTrue(
        name + " to answer " + probePath + " (log: " + log + ")",
        Duration.ofSeconds(90),
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + read(log));
          }
          try {
            service.text(probePath);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return service;
  }

  /** The log of a service {@link #startService} started as {@code name}. */
  public Path logOf(String name, CounterClient service) {
    return logs.resolve(name + "-" + service.port() + ".log");
  }

  /** Remembers a PID that is about to be ours (a restored process) to kill. */
  public void track(long pid) {
    owned.add(pid);
  }

  /** Forgets a PID that is gone, so that {@link #close()} leaves alone whatever takes it next. */
  public void forget(long pid) {
    owned.remove(pid);
  }

  /** The java launcher of the JVM running this code, as a command's first word. */
  public static String javaBinary() {
    return Jdks.current().toString();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A file's text, or nothing if it cannot be read (yet). */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
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

  /** Polls {@code condition} every 50 ms until it holds; fails the test after {@code timeout}. */
  public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Alive and not a zombie. */
  public static boolean isAlive(long pid) {
    return LinuxProcess.isRunning((int) pid);
  }

  /** {@link #killAndWait} for one of these processes, which is then forgotten. */
  public void killAndForget(long pid) throws InterruptedException {
    killAndWait(pid);
    forget(pid);
  }

  /** kill -9, then waits until the PID has vanished (reaped, free for a restore). */
  public static void killAndWait(long pid) throws InterruptedException {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    awaitGone(pid, Duration.ofSeconds(30));
  }

  /**
   * Waits until no process has {@code pid}, zombies included, looking every 2 ms (a benchmark
   * restores into the PID as soon as it is free).
   */
  public static void awaitGone(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Files.exists(Path.of("/proc", Long.toString(pid)))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "PID "
                + pid
                + " is still there "
                + timeout.toSeconds()
                + " s after kill -9: "
                + describe(pid));
      }
      Thread.sleep(2);
    }
  }

  /** Resident set size of {@code pid} (VmRSS), in bytes. */
  public static long residentBytes(long pid) throws IOException {
    OptionalLong bytes =
        ProcessStatus.of(pid).map(ProcessStatus::residentBytes).orElse(OptionalLong.empty());
    return bytes.orElseThrow(() -> new IOException("no VmRSS for PID " + pid));
  }

  /** The CRIU processes running on this host, whoever started them. */
  public static Stream<ProcessHandle> criuProcesses() {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().command().map(c -> c.endsWith("/criu")).orElse(false));
  }

  /**
   * What holds a process back from ending: its state, its tracer, its parent's, and any CRIU
   * running.
   */
  public static String describe(long pid) {
    StringBuilder s = new StringBuilder(statusOf(pid));
    LinuxProcess.of((int) pid)
        .ifPresent(p -> s.append("; its parent ").append(statusOf(p.parent())));
    criuProcesses()
        .forEach(
            h ->
                s.append("; criu PID ")
                    .append(h.pid())
                    .append(' ')
                    .append(String.join(" ", h.info().arguments().orElse(new String[0]))));
    return s.toString();
  }

  private static String statusOf(long pid) {
    return LinuxProcess.of((int) pid)
        .map(
            p ->
                "PID "
                    + pid
                    + " "
                    + p.name()
                    + ", state "
                    + p.state()
                    + ", parent "
                    + p.parent()
                    + ", tracer "
                    + LinuxProcess.tracerOf((int) pid))
        .orElse("PID " + pid + " (gone)");
  }

  /**
   * Kills every process started or tracked, and their descendants, and waits until they are gone.
   */
  @Override
  public void close() {
    for (long pid : owned) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
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
        System.err.println(e.getMessage());
      }
    }
    owned.clear();
  }
}
