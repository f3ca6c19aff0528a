package dev.cryo.bench.memory;

import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import dev.cryo.recoverable.Transaction;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The process {@link RecoveryBenchmark} kills: fills a region with committed data, then leaves as
 * much recovery work as its mode allows, prints "ready" and waits for the kill.
 *
 * <ul>
 *   <li>PROCESS_CRASH: a transaction in flight whose declared ranges fill the undo log, to be
 *       rolled back.
 *   <li>MACHINE_CRASH: a redo log just short of the size at which it is folded into the data file,
 *       to be replayed.
 * </ul>
 *
 * <p>Usage: {@code RecoveryWorkload FILE PROCESS_CRASH|MACHINE_CRASH SIZE_BYTES}
 */
public final class RecoveryWorkload {
  private static final int RANGE = 1 << 20;

  private RecoveryWorkload() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    long size = Long.parseLong(args[2]);
    RecoverableMemory region =
        RecoverableMemory.create(file, RecoverableMemoryOptions.of(size, durability));
    SplittableRandom random = new SplittableRandom(1);
    byte[] bytes = new byte[RANGE];
    random.nextBytes(bytes);
    long perTx = Math.max(RANGE, (region.undoCapacity() / 2) / RANGE * RANGE);
    for (long at = 0; at < size; ) {
      try (Transaction tx = region.begin()) {
        for (long end = Math.min(size, at + perTx); at < end; at += RANGE) {
          int n = (int) Math.min(RANGE, size - at);
          bytes[0]++;
          tx.declare(at, n).put(at, bytes, 0, n);
        }
        tx.commit();
      }
    }
    long ranges = (region.undoCapacity() - 4096) / (RANGE + 16);
    if (durability == Durability.PROCESS_CRASH) {
      Transaction inFlight = region.begin();
      for (long i = 0; i < ranges; i++) {
        long at = random.nextLong(size / RANGE) * RANGE;
        inFlight.declare(at, RANGE).put(at, bytes);
      }
    } else {
      // Fold whatever the fill left in the log, then log up to just under the folding threshold.
      region.close();
      region = RecoverableMemory.open(file);
      long logged = 0;
      while (logged + 2L * RANGE < (64L << 20)) {
        try (Transaction tx = region.begin()) {
          long at = random.nextLong(size / RANGE) * RANGE;
          tx.declare(at, RANGE).put(at, bytes);
          tx.commit();
        }
        logged += RANGE + 64;
      }
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
