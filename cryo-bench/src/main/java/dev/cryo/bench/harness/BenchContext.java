package dev.cryo.bench.harness;

import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Path;

/**
 * What every benchmark of a run shares: the checkout it measures, its scratch directory, the number
 * of trials, the processes to clean up, and the cryo command line on the run's store.
 */
public record BenchContext(Path home, Path scratch, int trials, Processes processes, CryoCli cryo) {
  /** Restores timed the same way for every benchmark. */
  public RestoreTrials restores() {
    return new RestoreTrials(scratch, processes, cryo);
  }
}
