package dev.cryo.bench.store;

import dev.cryo.store.RecoverableStore;
import java.nio.file.Path;

/** Opens (and so recovers) a store once and prints how long that took, in nanoseconds. */
public final class RecoveryProbe {
  private RecoveryProbe() {
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    RecoverableStore store = RecoverableStore.open(Path.of(args[0]));
    long elapsed = System.nanoTime() - start;
    if (store.size() <= 0) {
      throw new IllegalStateException("empty store");
    }
    System.out.println(elapsed);
    System.exit(0);
  }
}
