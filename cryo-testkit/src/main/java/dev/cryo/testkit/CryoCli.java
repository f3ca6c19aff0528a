package dev.cryo.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This checkout's {@code bin/cryo}, run as a user runs it against one image store, and the figures
 * read from what it prints.
 */
public final class CryoCli {
  /**
   * The checkout, as the build names it (property {@code cryo.home}), or the parent of a module's
   * directory.
   */
  public static final Path HOME =
      Path.of(System.getProperty("cryo.home", "..")).toAbsolutePath().normalize();

  public static final Path BIN = HOME.resolve("bin/cryo");

  private static final long RUN_LIMIT_SECONDS = 180;

  private static final Pattern IMAGES =
      Pattern.compile(": (\\d+(?:\\.\\d+)? (?:B|KiB|MiB|GiB|TiB)) of images;");
  private static final Pattern RESTORED =
      Pattern.compile(
          "restored \\S+ as PID (\\d+): verify (\\d+(?:\\.\\d+)?) s, restore (\\d+(?:\\.\\d+)?) s");

  private static final Pattern CRIU_OWN =
      Pattern.compile(
          "CRIU: forking \\d+(?:\\.\\d+)? s, \\d+ pages read in, (\\d+(?:\\.\\d+)?) s in all");

  private static final Pattern CHECKPOINTED =
      Pattern.compile("of images; dump (\\d+(?:\\.\\d+)?) s, total (\\d+(?:\\.\\d+)?) s");

  private static final Pattern COMPRESSED =
      Pattern.compile(
          "memory compressed from (\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB) to (\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB)");

  private static final Pattern CHECKPOINTED_EVENT =
      Pattern.compile("program paused (\\d+(?:\\.\\d+)?) s, (\\d+(?:\\.\\d+)?) s in all");

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path home;
  private final Path store;
  private final Path scratch;
  private final Map<String, String> environment = new HashMap<>();
  private final AtomicInteger runs;

  /**
   * This checkout's CLI on {@code store}; what each run prints is read from temporary files, then
   * deleted.
   */
  public CryoCli(Path store) {
    this(HOME, store, null);
  }

  /**
   * The CLI of checkout {@code home} on {@code store}; what each run prints stays in {@code
   * scratch} ({@code cryo-N.out}, {@code cryo-N.err}), or in deleted temporary files if it is null.
   */
  public CryoCli(Path home, Path store, Path scratch) {
    this(home, store, scratch, new AtomicInteger());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
  }

  private CryoCli(Path home, Path store, Path scratch, AtomicInteger runs) {
    this.home = home;
    this.store = store;
    this.scratch = scratch;
    this.runs = runs;
  }

  /** The same CLI with PATH replaced, to hide or swap the criu binary. */
  public CryoCli withPath(String path) {
    CryoCli other = new CryoCli(home, store, scratch, runs);
    other.environment.putAll(environment);
    other.environment.put("PATH", path);
    return other;
  }

  /** The same CLI with these environment variables added, such as an S3 server's credentials. */
  public CryoCli withEnvironment(Map<String, String> variables) {
    CryoCli other = new CryoCli(home, store, scratch, runs);
    other.environment.putAll(environment);
    other.environment.putAll(variables);
    return other;
  }

  /** The same CLI with {@code directory} first on the inherited PATH unless it is on it already. */
  public CryoCli withPathIncluding(String directory) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return (":" + path + ":").contains(":" + directory + ":")
        ? withPath(path)
        : withPath(directory + ":" + path);
  }

  public Path store() {
    return store;
  }

  /** Runs {@code cryo --store STORE ARGS...} to the end. */
  public Result run(String... args) throws IOException, InterruptedException {
    return runToEnd(withStore(args));
  }

  /** Runs {@code cryo ARGS...} without choosing a store. */
  public Result runWithoutStore(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/cryo").toString()));
    command.addAll(List.of(args));
    return runToEnd(command);
  }

  /** Starts {@code cryo --store STORE ARGS...} without waiting for it; its output is discarded. */
  public Process start(String... args) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(withStore(args))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(environment);
    return pb.start();
  }

  /**
   * {@code cryo --store STORE ARGS...} as a builder, output to {@code out} and {@code err}, for a
   * caller that times the run from its start; {@link #finish} reads its result.
   */
  public ProcessBuilder builder(Path out, Path err, String... args) {
    return builder(withStore(args), out, err);
  }

  /** Output files for one run: {@code [stdout, stderr]}. */
  public Path[] outputFiles() throws IOException {
    if (scratch == null) {
      return new Path[] {
        Files.createTempFile("cryo-out", ".txt"), Files.createTempFile("cryo-err", ".txt")
      };
    }
    int n = runs.incrementAndGet();
    return new Path[] {
      scratch.resolve("cryo-" + n + ".out"), scratch.resolve("cryo-" + n + ".err")
    };
  }

  /** Waits for a started run and reads what it printed into {@code files}. */
  public static Result finish(Process p, Path[] files, List<String> command)
      throws IOException, InterruptedException {
    if (!p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "cryo " + command + " did not finish within " + RUN_LIMIT_SECONDS + " s");
    }
    return new Result(
        command,
        p.exitValue(),
        Files.readString(files[0], StandardCharsets.UTF_8),
        Files.readString(files[1], StandardCharsets.UTF_8));
  }

  private List<String> withStore(String... args) {
    List<String> command =
        new ArrayList<>(List.of(home.resolve("bin/cryo").toString(), "--store", store.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private ProcessBuilder builder(List<String> command, Path out, Path err) {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().putAll(environment);
    return pb;
  }

  private Result runToEnd(List<String> command) throws IOException, InterruptedException {
    Path[] files = outputFiles();
    try {
      return finish(builder(command, files[0], files[1]).start(), files, command);
    } finally {
      if (scratch == null) {
        Files.deleteIfExists(files[0]);
        Files.deleteIfExists(files[1]);
      }
    }
  }

  /** What one run printed and returned. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Fails with everything printed unless the exit code is 0. */
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError(describe("expected success"));
      }
      return this;
    }

    public String describe(String expectation) {
      return expectation
          + " from "
          + String.join(" ", command)
          + " but got exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }

    public String firstLine() {
      return stdout.lines().findFirst().orElse("").trim();
    }
  }

  /**
   * The times in cryo checkpoint's summary line, in seconds: the dump (the freeze) and the whole
   * command.
   */
  public record Checkpointed(double dumpSeconds, double totalSeconds) {}

  /**
   * The page images' sizes before and after compression, in bytes, as cryo checkpoint --compress
   * prints them.
   */
  public record Compression(long before, long after) {}

  /**
   * One event of a supervised run, as its {@code events.jsonl} holds it (docs/run.md): to the
   * nanosecond, where {@code cryo events} prints whole seconds.
   *
   * @param time when it was recorded (ISO-8601, UTC)
   * @param type {@code started}, {@code checkpointed}, {@code checkpoint-failed}, ...
   * @param message what {@code cryo events} prints
   */
  public record RunEvent(String time, String type, String message) {
    public Instant instant() {
      return Instant.parse(time);
    }

    /**
     * A scheduled or requested checkpoint's outcome: {@code checkpointed} or {@code
     * checkpoint-failed}.
     */
    public boolean endsCheckpoint() {
      return type.equals("checkpointed") || type.equals("checkpoint-failed");
    }

    /**
     * For a {@code checkpointed} event, how long the program was paused and the checkpoint took in
     * all ("program paused 0.092 s, 0.266 s in all"), as {@link Checkpointed}'s dump and total.
     */
    public Optional<Checkpointed> checkpointed() {
      Matcher m = CHECKPOINTED_EVENT.matcher(message);
      return type.equals("checkpointed") && m.find()
          ? Optional.of(
              new Checkpointed(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))))
          : Optional.empty();
    }
  }

  /** What {@code cryo restore} reported. */
  /**
   * The figures of cryo restore's summary line; {@code criuOwnSeconds} is CRIU's own account of its
   * restore, or NaN where it gave none.
   */
  public record Restored(
      long pid, double verifySeconds, double restoreSeconds, double criuOwnSeconds) {}

  /** The image size in cryo checkpoint's summary line, as printed ("36.3 MiB"). */
  public static String imageSize(String checkpointStderr) {
    Matcher m = IMAGES.matcher(checkpointStderr);
    if (!m.find()) {
      throw new IllegalStateException(
          "no image size in cryo checkpoint's output:\n" + checkpointStderr);
    }
    return m.group(1);
  }

  /** The times in cryo checkpoint's summary line. */
  public static Checkpointed checkpointed(String checkpointStderr) {
    Matcher m = CHECKPOINTED.matcher(checkpointStderr);
    if (!m.find()) {
      throw new IllegalStateException("no times in cryo checkpoint's output:\n" + checkpointStderr);
    }
    return new Checkpointed(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
  }

  /** The sizes in cryo checkpoint --compress's summary line (to the precision printed). */
  public static Compression compression(String checkpointStderr) {
    Matcher m = COMPRESSED.matcher(checkpointStderr);
    if (!m.find()) {
      throw new IllegalStateException(
          "no compression sizes in cryo checkpoint's output:\n" + checkpointStderr);
    }
    return new Compression(bytes(m.group(1), m.group(2)), bytes(m.group(3), m.group(4)));
  }

  private static long bytes(String number, String unit) {
    int power = List.of("B", "KiB", "MiB", "GiB", "TiB").indexOf(unit);
    return Math.round(Double.parseDouble(number) * Math.pow(1024, power));
  }

  /** The PID and times in cryo restore's summary line. */
  public static Restored restored(String restoreStderr) {
    Matcher m = RESTORED.matcher(restoreStderr);
    if (!m.find()) {
      throw new IllegalStateException(
          "no summary line in cryo restore's output:\n" + restoreStderr);
    }
    Matcher own = CRIU_OWN.matcher(restoreStderr);
    return new Restored(
        Long.parseLong(m.group(1)),
        Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)),
        own.find() ? Double.parseDouble(own.group(1)) : Double.NaN);
  }

  /** Where the store keeps the images of checkpoint {@code id}. */
  public Path imagesDir(String id) {
    return store.resolve("checkpoints").resolve(id).resolve("images");
  }

  /** The events of supervised run {@code name} so far, oldest first; none before its first. */
  public List<RunEvent> events(String name) throws IOException {
    List<String> lines;
    try {
      lines =
          Files.readAllLines(
              store.resolve("runs").resolve(name).resolve("events.jsonl"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<RunEvent> events = new ArrayList<>();
    for (String line : lines) {
      try {
        events.add(parseEvent(line));
      } catch (IOException partial) {
        // A line being appended as it is read, or cut short by a crash: skipped, as cryo events
        // does.
      }
    }
    return events;
  }

  /** One line of a run's events.jsonl. */
  static RunEvent parseEvent(String line) throws IOException {
    return JSON.readValue(line, RunEvent.class);
  }
}
