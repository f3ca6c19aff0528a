package dev.cryo.bench.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Eight 64-byte values under eight random keys, committed as one atomic transaction. Chronicle
 * Map is left out: it has no multi-key transactions.
 */
@State(Scope.Benchmark)
public class MultiKeyCommitBenchmark {
  static final int KEYS_PER_COMMIT = 8;

  @Param({"cryo-process", "cryo-machine", "mapdb-wal", "mvstore", "mvstore-sync", "lmdb-nosync", "lmdb-sync"})
  public String subject;

  private KeyValueSubject store;
  private Path dir;

  /** Per-thread inputs. */
  @State(Scope.Thread)
  public static class Input {
    final SplittableRandom random = new SplittableRandom();
    final byte[] value = new byte[64];
    final long[] keys = new long[KEYS_PER_COMMIT];
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = SubjectState.freshDirectory(subject);
    store = KeyValueSubject.open(subject, dir, SubjectState.KEYS);
    SubjectState.fill(store);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    SubjectState.delete(dir);
  }

  @Benchmark
  public void commit8Keys(Input in) throws IOException {
    for (int i = 0; i < KEYS_PER_COMMIT; i++) {
      in.keys[i] = in.random.nextInt(SubjectState.KEYS);
    }
    in.value[0]++;
    store.updateAll(in.keys, in.value);
  }
}
