package dev.cryo.bench.memory;

import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Eight 64-byte values under eight random keys, committed as one atomic transaction. Chronicle Map
 * has no multi-key transactions: the report runs this without it ({@link Peer#multiKeyAtomic}).
 */
@State(Scope.Benchmark)
public class MultiKeyCommitBenchmark extends FilledSubject {
  static final int KEYS_PER_COMMIT = 8;

  /** Each thread's keys of the next commit. */
  @State(Scope.Thread)
  public static class Keys {
    final long[] keys = new long[KEYS_PER_COMMIT];
  }

  @Benchmark
  public void commit8Keys(Input in, Keys next) throws IOException {
    for (int i = 0; i < KEYS_PER_COMMIT; i++) {
      next.keys[i] = in.anyKey();
    }
    keyValues.updateAll(next.keys, in.nextValue());
  }
}
