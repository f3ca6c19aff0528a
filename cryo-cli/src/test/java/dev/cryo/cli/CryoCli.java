package dev.cryo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code bin/cryo} of this checkout, as a user would, against one image store. */
final class CryoCli {
  static final Path HOME = Path.of(System.getProperty("cryo.home", "..")).toAbsolutePath().normalize();
  static final Path BIN = HOME.resolve("bin/cryo");

  private final Path store;
  private final Map<String, String> environment = new HashMap<>();

  CryoCli(Path store) {
    this.store = store;
    environment.put("JAVA_HOME", System.getProperty("java.home"));
  }

  /** The same CLI with PATH replaced, to hide or swap the criu binary. */
  CryoCli withPath(String path) {
    CryoCli other = new CryoCli(store);
    other.environment.putAll(environment);
    other.environment.put("PATH", path);
    return other;
  }

  Path store() {
    return store;
  }

  /** Runs {@code cryo --store STORE ARGS...}. */
  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BIN.toString(), "--store", store.toString()));
    command.addAll(List.of(args));
    return runRaw(command);
  }

  /** Starts {@code cryo --store STORE ARGS...} without waiting for it; its output is discarded. */
  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(BIN.toString(), "--store", store.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(environment);
    return pb.start();
  }

  /** Runs {@code cryo ARGS...} without choosing a store. */
  Result runWithoutStore(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BIN.toString()));
    command.addAll(List.of(args));
    return runRaw(command);
  }

  private Result runRaw(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("cryo-out", ".txt");
    Path err = Files.createTempFile("cryo-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(environment);
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("cryo " + command + " did not finish within 120 s");
      }
      return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** What one run printed and returned. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Fails with everything printed unless the exit code is 0. */
    Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError(describe("expected success"));
      }
      return this;
    }

    String describe(String expectation) {
      return expectation + " from " + String.join(" ", command) + " but got exit " + exitCode
          + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    String firstLine() {
      return stdout.lines().findFirst().orElse("").trim();
    }
  }
}
