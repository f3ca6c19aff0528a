package dev.cryo.bench.harness;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This checkout's {@code bin/cryo}, run as a user runs it against a private image store, and the
 * figures the harness reads from what it prints.
 */
public final class CryoCli {
  private static final Pattern IMAGES = Pattern.compile(": (\\d+(?:\\.\\d+)? (?:B|KiB|MiB|GiB|TiB)) of images;");
  private static final Pattern RESTORED = Pattern.compile(
      "restored \\S+ as PID (\\d+): verify (\\d+(?:\\.\\d+)?) s, restore (\\d+(?:\\.\\d+)?) s");

  private static final Pattern CHECKPOINTED = Pattern.compile(
      "of images; dump (\\d+(?:\\.\\d+)?) s, total (\\d+(?:\\.\\d+)?) s");

  private static final Pattern COMPRESSED = Pattern.compile(
      "memory compressed from (\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB) to (\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB)");

  private static final Pattern CHECKPOINTED_EVENT = Pattern.compile(
      "program paused (\\d+(?:\\.\\d+)?) s, (\\d+(?:\\.\\d+)?) s in all");

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path bin;
  private final Path store;
  private final Path scratch;
  private int runs;

  public CryoCli(Path home, Path store, Path scratch) {
    this.bin = home.resolve("bin/cryo");
    this.store = store;
    this.scratch = scratch;
  }

  /** What one run printed and returned. */
  public record Result(String command, int exitCode, String stdout, String stderr) {
    public Result requireOk() {
      if (exitCode != 0) {
        throw new IllegalStateException(command + " failed with exit " + exitCode + "\n--- stdout\n" + stdout
            + "--- stderr\n" + stderr);
      }
      return this;
    }
  }

  /** The times in cryo checkpoint's summary line, in seconds: the dump (the freeze) and the whole command. */
  public record Checkpointed(double dumpSeconds, double totalSeconds) {
  }

  /** The page images' sizes before and after compression, in bytes, as cryo checkpoint --compress prints them. */
  public record Compression(long before, long after) {
  }

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

    /** A scheduled or requested checkpoint's outcome: {@code checkpointed} or {@code checkpoint-failed}. */
    public boolean endsCheckpoint() {
      return type.equals("checkpointed") || type.equals("checkpoint-failed");
    }

    /**
     * For a {@code checkpointed} event, how long the program was paused and the checkpoint took
     * in all ("program paused 0.092 s, 0.266 s in all"), as {@link Checkpointed}'s dump and total.
     */
    public Optional<Checkpointed> checkpointed() {
      Matcher m = CHECKPOINTED_EVENT.matcher(message);
      return type.equals("checkpointed") && m.find()
          ? Optional.of(new Checkpointed(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))))
          : Optional.empty();
    }
  }

  /** What {@code cryo restore} reported. */
  public record Restored(long pid, double verifySeconds, double restoreSeconds) {
  }

  /** {@code cryo --store STORE ARGS...} as a builder, output to {@code out} and {@code err}. */
  public ProcessBuilder builder(Path out, Path err, String... args) {
    List<String> command = new ArrayList<>(List.of(bin.toString(), "--store", store.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new java.io.File("/dev/null"))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    String path = pb.environment().getOrDefault("PATH", "/usr/bin:/bin");
    if (!(":" + path + ":").contains(":/usr/local/sbin:")) {
      pb.environment().put("PATH", "/usr/local/sbin:" + path);
    }
    return pb;
  }

  /** Output files for one run, in the scratch directory. */
  public Path[] outputFiles() {
    int n = ++runs;
    return new Path[] {scratch.resolve("cryo-" + n + ".out"), scratch.resolve("cryo-" + n + ".err")};
  }

  /** Runs {@code cryo ARGS...} to the end. */
  public Result run(String... args) throws IOException, InterruptedException {
    Path[] files = outputFiles();
    Process p = builder(files[0], files[1], args).start();
    return finish(p, files, String.join(" ", args));
  }

  /** Waits for a started run and reads what it printed. */
  public static Result finish(Process p, Path[] files, String what) throws IOException, InterruptedException {
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("cryo " + what + " did not finish within 180 s");
    }
    return new Result("cryo " + what, p.exitValue(), Files.readString(files[0], StandardCharsets.UTF_8),
        Files.readString(files[1], StandardCharsets.UTF_8));
  }

  /** The image size in cryo checkpoint's summary line, as printed ("36.3 MiB"). */
  public static String imageSize(String checkpointStderr) {
    Matcher m = IMAGES.matcher(checkpointStderr);
    if (!m.find()) {
      throw new IllegalStateException("no image size in cryo checkpoint's output:\n" + checkpointStderr);
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
      throw new IllegalStateException("no compression sizes in cryo checkpoint's output:\n" + checkpointStderr);
    }
    return new Compression(bytes(m.group(1), m.group(2)), bytes(m.group(3), m.group(4)));
  }

  private static long bytes(String number, String unit) {
    int power = List.of("B", "KiB", "MiB", "GiB", "TiB").indexOf(unit);
    return Math.round(Double.parseDouble(number) * Math.pow(1024, power));
  }

  /** Where the store keeps the images of checkpoint {@code id}. */
  public Path imagesDir(String id) {
    return store.resolve("checkpoints").resolve(id).resolve("images");
  }

  /** The events of supervised run {@code name} so far, oldest first; none before its first. */
  public List<RunEvent> events(String name) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(store.resolve("runs").resolve(name).resolve("events.jsonl"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<RunEvent> events = new ArrayList<>();
    for (String line : lines) {
      try {
        events.add(parseEvent(line));
      } catch (IOException partial) {
        // A line being appended as it is read, or cut short by a crash: skipped, as cryo events does.
      }
    }
    return events;
  }

  /** One line of a run's events.jsonl. */
  static RunEvent parseEvent(String line) throws IOException {
    return JSON.readValue(line, RunEvent.class);
  }

  /** The PID and times in cryo restore's summary line. */
  public static Restored restored(String restoreStderr) {
    Matcher m = RESTORED.matcher(restoreStderr);
    if (!m.find()) {
      throw new IllegalStateException("no summary line in cryo restore's output:\n" + restoreStderr);
    }
    return new Restored(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
  }
}
