package dev.cryo.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster test bed ({@code scripts/testbed}, docs/testbed.md) for integration tests: three
 * hosts, a client and an S3 server as namespaces of this machine. Each method runs the script's
 * subcommand of the same name; the ones that change the test bed fail with everything the script
 * printed when it does not succeed, and {@link #exec} returns what the command did, exit code
 * included, for the test to judge. There is one test bed per machine: its namespaces have fixed
 * names.
 */
public final class Testbed implements AutoCloseable {
  public static final Path SCRIPT = CryoCli.HOME.resolve("scripts/testbed");
  public static final List<String> HOSTS = List.of("cryo-a", "cryo-b", "cryo-c");
  public static final String CLIENT = "cryo-client";
  public static final String STORAGE = "cryo-s3";
  public static final String SAFETY_ROUTE = "198.18.0.0/15";

  private static final long SCRIPT_LIMIT_SECONDS = 300;
  private static final Pattern EXPORT = Pattern.compile("^export ([A-Za-z_][A-Za-z0-9_]*)=");
  private static final Map<String, String> ADDRESSES =
      Map.of(
          "cryo-a",
          "198.18.0.1",
          "cryo-b",
          "198.18.0.2",
          "cryo-c",
          "198.18.0.3",
          CLIENT,
          "198.18.0.100",
          STORAGE,
          "198.18.0.250");

  private final Path state;

  /** The test bed whose state (certificates, logs, etcd data, objects) is kept in {@code state}. */
  public Testbed(Path state) {
    this.state = state.toAbsolutePath();
  }

  /** What a run of the script, or of a command on a host, printed and returned. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** All of it, to explain a failed expectation. */
    public String describe() {
      return String.join(" ", command)
          + " exited with "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }
  }

  /** The options of {@link #up}. */
  public enum UpOption {
    /** Tear down a test bed that is up first. */
    FRESH("--fresh"),
    /** Start no {@code cryo node} on the hosts. */
    NO_NODES("--no-nodes");

    private final String flag;

    UpOption(String flag) {
      this.flag = flag;
    }
  }

  /** Builds the test bed; fails if it is up already, unless {@link UpOption#FRESH}. */
  public void up(UpOption... options) throws IOException, InterruptedException {
    takeTurn();
    List<String> arguments = new ArrayList<>(List.of("up"));
    for (UpOption option : options) {
      arguments.add(option.flag);
    }
    succeed(script(arguments));
  }

  /** Stops everything the test bed started and deletes its namespaces; safe when it is not up. */
  public void down() throws IOException, InterruptedException {
    try {
      succeed(script(List.of("down")));
    } finally {
      endTurn();
    }
  }

  /**
   * The machine has room for one test bed (its namespaces have fixed names): tests, benchmarks and
   * {@code scripts/demo-cluster} in other processes wait for their turn on this lock, held from
   * {@link #up} to {@link #down}. It is a flock(2) lock, as the shell's {@code flock} takes, held
   * by a child {@code flock} that lives until its standard input closes: when this JVM ends, so
   * does the turn.
   */
  private static final String TURN = "/run/cryo-testbed.lock";

  private static Process turn;

  private static synchronized void takeTurn() throws IOException {
    if (turn != null && turn.isAlive()) {
      return;
    }
    turn =
        new ProcessBuilder("flock", TURN, "sh", "-c", "echo taken; exec cat >/dev/null")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String line =
        new String(turn.getInputStream().readNBytes("taken\n".length()), StandardCharsets.UTF_8);
    if (!line.equals("taken\n")) {
      turn.destroyForcibly();
      turn = null;
      throw new IOException("could not take the test bed lock " + TURN);
    }
  }

  private static synchronized void endTurn() throws IOException {
    if (turn != null) {
      turn.getOutputStream().close();
      try {
        turn.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      turn.destroyForcibly();
      turn = null;
    }
  }

  /** Runs {@code command} on {@code host} (a host, the client or the storage namespace). */
  public Result exec(String host, String... command) throws IOException, InterruptedException {
    return exec(host, Map.of(), command);
  }

  /** Runs {@code command} on {@code host} with {@code environment} added to its environment. */
  public Result exec(String host, Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(List.of("exec", host));
    arguments.addAll(List.of(command));
    return run(script(arguments), environment);
  }

  /** Power loss on {@code host}: every process of it killed at once; returns when none is left. */
  public void kill(String host) throws IOException, InterruptedException {
    succeed(script(List.of("kill", host)));
  }

  /** Brings a killed host back, with its etcd member's data and its node. */
  public void start(String host) throws IOException, InterruptedException {
    succeed(script(List.of("start", host)));
  }

  /**
   * Starts the node again on a running host whose node alone died; returns what the script did
   * (exit 9 if the host is down or its node runs).
   */
  public Result startNode(String host) throws IOException, InterruptedException {
    return run(script(List.of("start-node", host)), Map.of());
  }

  /** Disconnects {@code host} from the LAN. */
  public void cut(String host) throws IOException, InterruptedException {
    succeed(script(List.of("cut", host)));
  }

  /** Connects a {@link #cut} host again. */
  public void heal(String host) throws IOException, InterruptedException {
    succeed(script(List.of("heal", host)));
  }

  /** {@code scripts/testbed status}: what runs and what does not. */
  public Result status() throws IOException, InterruptedException {
    return run(script(List.of("status")), Map.of());
  }

  /**
   * The variables {@code scripts/testbed env} exports (etcd endpoints, cluster certificates, S3
   * endpoint and credentials, repository and key), with their values as a shell reads them.
   */
  public Map<String, String> env() throws IOException, InterruptedException {
    Result exports = succeed(script(List.of("env")));
    List<String> names = new ArrayList<>();
    for (String line : exports.stdout().lines().toList()) {
      Matcher m = EXPORT.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    // The shell undoes its own quoting: each value printed NUL-terminated, in the names' order.
    String printValues =
        "eval \"$1\"; shift; for name in \"$@\"; do printf '%s\\0' \"${!name}\"; done";
    List<String> command = new ArrayList<>(List.of("bash", "-c", printValues, "testbed-env"));
    command.add(exports.stdout());
    command.addAll(names);
    Result values = succeed(run(command, Map.of()));
    String[] parts = values.stdout().split("\0", -1);
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      env.put(names.get(i), parts[i]);
    }
    return env;
  }

  /** The IPv4 address of {@code host} on the test bed's LAN. */
  public static String address(String host) {
    String address = ADDRESSES.get(host);
    if (address == null) {
      throw new IllegalArgumentException("no host " + host + " in the test bed");
    }
    return address;
  }

  /** Where the test bed keeps its certificates, logs and data. */
  public Path stateDirectory() {
    return state;
  }

  /** The certificates: {@code ca.pem}, {@code NAME.pem}, {@code NAME-key.pem}. */
  public Path pki() {
    return state.resolve("pki");
  }

  /** {@code hosts/HOST}: its etcd data and log, node log, init PID. */
  public Path hostDirectory(String host) {
    return state.resolve("hosts").resolve(host);
  }

  /**
   * The PID (in this machine's PID namespace) of {@code host}'s init, as {@code up} recorded it.
   */
  public long initPid(String host) throws IOException {
    return Long.parseLong(Files.readString(hostDirectory(host).resolve("init.pid")).trim());
  }

  /** Whether {@code host}'s init runs: it was not killed, or was started again. */
  public boolean isRunning(String host) throws IOException {
    return Files.exists(hostDirectory(host).resolve("init.pid"))
        && Processes.isAlive(initPid(host));
  }

  /** {@link #down}, for try-with-resources; a failure to tear down is an error. */
  @Override
  public void close() throws IOException, InterruptedException {
    down();
  }

  private static List<String> script(List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(arguments);
    return command;
  }

  private Result succeed(List<String> command) throws IOException, InterruptedException {
    return succeed(run(command, Map.of()));
  }

  private static Result succeed(Result result) {
    if (!result.succeeded()) {
      throw new IllegalStateException(result.describe());
    }
    return result;
  }

  private Result run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("testbed-out", ".txt");
    Path err = Files.createTempFile("testbed-err", ".txt");
    try {
      // Output to files, not pipes: what the script starts in the background must not hold them.
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(new File("/dev/null"))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().put("CRYO_TESTBED_DIR", state.toString());
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(SCRIPT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + SCRIPT_LIMIT_SECONDS + " s");
      }
      return new Result(
          command,
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
