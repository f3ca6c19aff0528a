package dev.cryo.bench.memory;

import dev.cryo.bench.report.Trees;
import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens (and so recovers) a region once and prints how long that took, in nanoseconds. Classes are
 * loaded on a scratch region first, as the peers' probes do, so that only the open is timed.
 */
public final class RecoveryProbe {
  private RecoveryProbe() {}

  public static void main(String[] args) throws Exception {
    warmUp();
    long start = System.nanoTime();
    RecoverableMemory region = RecoverableMemory.open(Path.of(args[0]));
    long elapsed = System.nanoTime() - start;
    if (region.size() <= 0) {
      throw new IllegalStateException("empty region");
    }
    System.out.println(elapsed);
    System.exit(0);
  }

  private static void warmUp() throws IOException {
    Path scratch = Files.createTempDirectory("cryo-bench-warmup");
    try {
      RecoverableMemory.create(
              scratch.resolve("w"), RecoverableMemoryOptions.of(1 << 16, Durability.MACHINE_CRASH))
          .close();
      RecoverableMemory.open(scratch.resolve("w")).close();
    } finally {
      Trees.delete(scratch);
    }
  }
}
