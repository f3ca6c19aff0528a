package dev.cryo.cli;

import dev.cryo.linux.LinuxProcess;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Starts the programs the integration tests checkpoint, the way a checkpointable program runs:
 * in a session of its own, stdio on files (a pipe to the test would be outside the dumped tree),
 * and kills whatever is left, restored copies included, when the test ends.
 */
final class Processes implements AutoCloseable {
  private final List<Long> pids = new ArrayList<>();
  private final Path dir;

  Processes(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code command} detached, with stdout and stderr appended to {@code log}. */
  Process startDetached(Path log, String... command) throws IOException {
    List<String> argv = new ArrayList<>(List.of("setsid"));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    pids.add(p.pid());
    return p;
  }

  /** Starts the example counter server on a free loopback port and waits until it serves. */
  CounterServer startCounterServer() throws Exception {
    return startCounterServer("-Xmx64m");
  }

  /** The counter server with these JVM options, such as a large pre-touched heap. */
  CounterServer startCounterServer(String... jvmOptions) throws Exception {
    int port = freePort();
    Path log = dir.resolve("counter-" + port + ".log");
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:-UsePerfData"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp",
        System.getProperty("cryo.examples.jar"), "dev.cryo.testprograms.CounterServer", Integer.toString(port)));
    Process p = startDetached(log, command.toArray(String[]::new));
    awaitTrue("the counter server to print 'ready'", Duration.ofSeconds(30),
        () -> Files.exists(log) && read(log).contains("ready " + port));
    return new CounterServer(p, port);
  }

  /**
   * Starts a JVM service on a free loopback port with {@code java} (a JDK's binary), the given JVM
   * options and main arguments ({@code PORT} in them is replaced), and waits until it answers
   * {@code probePath}. Its output goes to {@code NAME-PORT.log} in the test directory.
   */
  CounterServer startService(String name, String java, List<String> jvmOptions, List<String> mainArguments,
      String probePath) throws Exception {
    int port = freePort();
    Path log = dir.resolve(name + "-" + port + ".log");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    mainArguments.forEach(a -> command.add(a.replace("PORT", Integer.toString(port))));
    Process p = startDetached(log, command.toArray(String[]::new));
    CounterServer service = new CounterServer(p, port);
    awaitTrue(name + " to answer " + probePath + " (log: " + log + ")", Duration.ofSeconds(90), () -> {
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

  Path logOf(String name, CounterServer service) {
    return dir.resolve(name + "-" + service.port() + ".log");
  }

  /** Remembers a PID (a restored process) to kill at the end. */
  void track(long pid) {
    pids.add(pid);
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Alive and not a zombie. */
  static boolean isAlive(long pid) {
    return LinuxProcess.isRunning((int) pid);
  }

  /** Kills a process that is not our child and waits until its PID is gone. */
  static void killAndWait(long pid) throws InterruptedException {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ProcessHandle.of(pid).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("PID " + pid + " is still there 30 s after kill -9: " + describe(pid));
      }
      Thread.sleep(50);
    }
  }

  /** The CRIU processes running on this host, whoever started them. */
  static Stream<ProcessHandle> criuProcesses() {
    return ProcessHandle.allProcesses().filter(h -> h.info().command().map(c -> c.endsWith("/criu")).orElse(false));
  }

  /** What holds a process back from ending: its state, its tracer, its parent's, and any CRIU running. */
  static String describe(long pid) {
    StringBuilder s = new StringBuilder(statusOf(pid));
    LinuxProcess.of((int) pid).ifPresent(p -> s.append("; its parent ").append(statusOf(p.parent())));
    criuProcesses().forEach(h -> s.append("; criu PID ").append(h.pid()).append(' ')
            .append(String.join(" ", h.info().arguments().orElse(new String[0]))));
    return s.toString();
  }

  private static String statusOf(long pid) {
    try {
      return "PID " + pid + " " + String.join(", ", Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
          .stream().filter(l -> l.startsWith("Name:") || l.startsWith("State:") || l.startsWith("PPid:")
              || l.startsWith("TracerPid:")).map(l -> l.replaceAll("\\s+", " ")).toList());
    } catch (IOException e) {
      return "PID " + pid + " (gone)";
    }
  }

  @Override
  public void close() {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(h -> {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      });
    }
  }
}
