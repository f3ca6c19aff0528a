package dev.cryo.supervisor;

import dev.cryo.linux.LinuxProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a program the way {@code cryo run} supervises it: in new PID and time namespaces (so that
 * a restore never needs its old PIDs, and its monotonic clocks run on across restores), as the
 * child of a small shell that is the namespace's init and records how the program ended, with stdin
 * from /dev/null and stdout and stderr appended to the run's log files. A JVM gets the Cryo runtime
 * through {@code JDK_JAVA_OPTIONS}, its command line untouched.
 *
 * <p>The init is a session leader inside the namespace (CRIU restores sessions only from there),
 * and no mount namespace is made: files and sockets keep their paths for the host and for cryo. A
 * run placed by a node runs in the network namespace its spec names ({@link RunSpec#network}).
 */
public final class ProgramLauncher implements ProgramStarter {
  /**
   * Runs the program, then leaves its status where the supervisor finds it, whoever reaps the
   * shell, with the shell's own PID as this host sees it (read from the host's /proc by the shell
   * itself): a copy restored from this run's checkpoint writes the same file, and must not be taken
   * for the original.
   */
  private static final String INIT_SCRIPT =
      "\"$@\"; status=$?; read -r init rest < /proc/self/stat; "
          + "echo \"$init $status\" > \"$0\"; exit \"$status\"";

  private static final long START_WAIT_MILLIS = 10_000;

  private final Path runtimeJar;

  /**
   * @param runtimeJar the Cryo runtime's agent jar, or null to start JVMs without it
   */
  public ProgramLauncher(Path runtimeJar) {
    this.runtimeJar = runtimeJar;
  }

  /**
   * The command line that starts {@code command} namespaced, with {@code exitFile} for its status.
   */
  static List<String> commandLine(List<String> command, Path exitFile) {
    return commandLine(command, exitFile, null);
  }

  /**
   * The command line that starts {@code command} namespaced, with {@code exitFile} for its status,
   * inside the existing network namespace {@code network} if not null: entered before the new
   * namespaces are made, so that the whole tree, its init included, runs in it.
   */
  static List<String> commandLine(List<String> command, Path exitFile, Path network) {
    List<String> line = new ArrayList<>();
    if (network != null) {
      line.addAll(List.of("nsenter", "--net=" + network));
    }
    line.addAll(
        List.of(
            "unshare",
            "--pid",
            "--fork",
            "--time",
            "setsid",
            "sh",
            "-c",
            INIT_SCRIPT,
            exitFile.toString()));
    line.addAll(command);
    return line;
  }

  /**
   * What a JVM started by the run gets: the runtime agent, its control socket in the run's
   * directory, and for a copy started afresh the properties it was given ({@code -D}).
   */
  String javaOptions(RunDirectory run, RunSpec spec, String existing) {
    StringBuilder options = new StringBuilder();
    if (runtimeJar != null) {
      options.append(quoted("-javaagent:" + runtimeJar + "=controlDir=" + run.controlDir()));
    }
    // Every namespaced JVM is PID 2 in its namespace: a shared-memory file named by PID would be
    // shared by all of them (/tmp/hsperfdata_USER/2). Counters stay available to jcmd.
    options.append(" -XX:+PerfDisableSharedMem");
    spec.properties()
        .forEach((key, value) -> options.append(' ').append(quoted("-D" + key + "=" + value)));
    if (existing != null && !existing.isBlank()) {
      options.append(' ').append(existing);
    }
    return options.toString().trim();
  }

  /** The launcher splits JDK_JAVA_OPTIONS at white space, except inside double quotes. */
  private static String quoted(String option) {
    return option.matches("(?s).*\\s.*") ? '"' + option + '"' : option;
  }

  /**
   * Starts the program and returns its tree once the program itself runs. A program that ended at
   * once is returned too, no longer alive: how it ended is then the supervisor's business.
   *
   * @throws IOException when it cannot be started at all
   */
  @Override
  public ProgramTree start(RunDirectory run, RunSpec spec) throws IOException {
    Files.deleteIfExists(run.exitStatusFile());
    Optional<Path> network = spec.networkNamespace();
    if (network.isPresent() && !Files.exists(network.get())) {
      throw new IOException(
          "its network namespace " + network.get() + " does not exist (the node makes it)");
    }
    ProcessBuilder builder =
        new ProcessBuilder(commandLine(spec.command(), run.exitStatusFile(), network.orElse(null)))
            .directory(new File(spec.workingDirectory()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(run.stdout().toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(run.stderr().toFile()));
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(spec.environment());
    environment.put(
        "JDK_JAVA_OPTIONS", javaOptions(run, spec, spec.environment().get("JDK_JAVA_OPTIONS")));
    // Every program of a run is PID 2 in its namespace: sockets named by PID in a shared
    // directory would collide between runs. Participants of the protocol honour this.
    environment.put("CRYO_CONTROL_DIR", run.controlDir().toString());
    Process unshare = builder.start();
    long deadline = System.currentTimeMillis() + START_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      Optional<ProgramTree> init =
          LinuxProcess.of((int) unshare.pid())
              .flatMap(p -> p.children().stream().findFirst())
              .flatMap(ProgramTree::of);
      if (init.isPresent()) {
        return awaitProgram(init.get(), deadline);
      }
      if (!unshare.isAlive()) {
        if (Files.exists(run.exitStatusFile())) {
          return ENDED_AT_ONCE;
        }
        throw new IOException(
            "could not make its namespaces ("
                + (spec.network() == null ? "unshare" : "nsenter or unshare")
                + " exited with "
                + unshare.exitValue()
                + "); see "
                + run.stderr());
      }
      pause();
    }
    unshare.destroyForcibly();
    throw new IOException("the program did not start within " + START_WAIT_MILLIS / 1000 + " s");
  }

  /** A program that ended before it could be seen running. */
  private static final ProgramTree ENDED_AT_ONCE = new ProgramTree(0, -1, 0);

  /** Waits for the init to start the program; returns the tree as last seen if it ends first. */
  private static ProgramTree awaitProgram(ProgramTree init, long deadline) {
    ProgramTree seen = init;
    while (System.currentTimeMillis() < deadline) {
      Optional<ProgramTree> tree =
          ProgramTree.of(init.initPid()).filter(t -> t.initStartTime() == init.initStartTime());
      if (tree.isEmpty()) {
        return seen;
      }
      seen = tree.get();
      // Until the shell has forked, the init is 'setsid' or 'sh' alone.
      if (seen.mainPid() != seen.initPid()) {
        return seen;
      }
      pause();
    }
    return seen;
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
