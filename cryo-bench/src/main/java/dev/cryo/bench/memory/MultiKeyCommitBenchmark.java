package dev.cryo.bench.memory;

import java.io.IOException;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Eight 64-byte values under eight random keys, committed as one atomic transaction. Chronicle Map
 * is left out: it has no multi-key transactions.
 */
@State(Scope.Benchmark)
public class MultiKeyCommitBenchmark extends FilledSubject {
  static final int KEYS_PER_COMMIT = 8;

  @Param({
    "cryo-process",
    "cryo-machine",
    "mapdb-wal",
    "mvstore",
    "mvstore-sync",
    "lmdb-nosync",
    "lmdb-sync"
  })
  public String subject;

  /** Per-thread inputs. */
  @State(Scope.Thread)
  public static class Input {
    final SplittableRandom random = new SplittableRandom();
    final byte[] value = new byte[64];
    final long[] keys = new long[KEYS_PER_COMMIT];
  }

  @Override
  protected String subjectName() {
    return subject;
  }

  @Benchmark
  public void commit8Keys(Input in) throws IOException {
    for (int i = 0; i < KEYS_PER_COMMIT; i++) {
      in.keys[i] = in.random.nextInt(SubjectState.KEYS);
    }
    in.value[0]++;
    keyValues.updateAll(in.keys, in.value);
  }
}
