package dev.cryo.cli;

import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.RunStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a run's supervisor: {@code cryo supervise NAME} in a session of its own, detached from
 * this command and from the terminal, so that it outlives both; its output goes to the run's {@code
 * supervisor.log}.
 */
final class SupervisorLaunch {
  /** Long enough to verify and restore a large checkpoint, and for its resources to resume. */
  private static final long START_WAIT_MILLIS = 180_000;

  private SupervisorLaunch() {}

  static Process start(Path storeRoot, RunDirectory run) throws IOException {
    List<String> command = new ArrayList<>(List.of("setsid"));
    command.addAll(cryoCommandLine(storeRoot, "supervise", run.name()));
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(run.supervisorLog().toFile()))
        .redirectErrorStream(true)
        .start();
  }

  /**
   * The command line of a {@code cryo} command on {@code storeRoot}, as this installation runs it.
   */
  static List<String> cryoCommandLine(Path storeRoot, String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Installation.java().toString(),
                "-XX:+UseSerialGC",
                "-Xmx96m",
                "-XX:-UsePerfData",
                "-Xshare:auto"));
    if (System.getProperty("cryo.home") != null) {
      command.add("-Dcryo.home=" + System.getProperty("cryo.home"));
    }
    command.addAll(
        List.of(
            "-jar",
            Installation.cliJar().toString(),
            "--store",
            storeRoot.toAbsolutePath().toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  /**
   * Starts the run's supervisor and waits until it has started the program (see {@link
   * #awaitStart}).
   */
  static RunState startAndAwait(Path storeRoot, RunDirectory run) throws IOException {
    return awaitStart(run, start(storeRoot, run));
  }

  /**
   * Waits until the supervisor has started the program (or failed to) and returns its state.
   *
   * @throws IOException when the supervisor wrote nothing in time
   */
  static RunState awaitStart(RunDirectory run, Process supervisor) throws IOException {
    long deadline = System.currentTimeMillis() + START_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      Optional<RunState> state = run.state();
      if (state.isPresent() && state.get().status() != RunStatus.STARTING) {
        return state.get();
      }
      if (!supervisor.isAlive()
          && !run.isSupervised()
          && run.state().map(s -> s.status() == RunStatus.STARTING).orElse(true)) {
        throw new IOException(
            "the supervisor of "
                + run.name()
                + " ended before starting the program; see "
                + run.supervisorLog());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IOException(
        "the supervisor of "
            + run.name()
            + " did not start the program within "
            + START_WAIT_MILLIS / 1000
            + " s; see "
            + run.supervisorLog());
  }
}
