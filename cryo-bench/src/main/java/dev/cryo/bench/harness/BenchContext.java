package dev.cryo.bench.harness;

import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every benchmark of a run shares: the checkout it measures, its scratch directory, the number
 * of trials, the processes to clean up, and the cryo command line on the run's store.
 */
public record BenchContext(Path home, Path scratch, int trials, Processes processes, CryoCli cryo) {
  /** Restores timed the same way for every benchmark. */
  public RestoreTrials restores() {
    return new RestoreTrials(scratch, processes, cryo);
  }

  /**
   * Starts {@code command} detached, its output appended to {@code log}, to be killed with the
   * run's other processes if it still runs then.
   */
  public Process start(Path log, List<String> command) throws IOException {
    return processes.start(Processes.detached(log, command));
  }

  /**
   * Waits up to {@code timeout} for {@code app}'s first HTTP 200 on {@code /count} at {@code port};
   * if it exits first, fails with the end of its {@code log}, naming it {@code what}.
   */
  public static HttpProbe.Response firstCount(
      Process app, String what, int port, Duration timeout, Path log) throws InterruptedException {
    return HttpProbe.firstOk(
        port,
        "/count",
        timeout,
        () ->
            app.isAlive()
                ? null
                : what
                    + " exited with "
                    + app.exitValue()
                    + " before answering; log:\n"
                    + Processes.tail(log));
  }
}
