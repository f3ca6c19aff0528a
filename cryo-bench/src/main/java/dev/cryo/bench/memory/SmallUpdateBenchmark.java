package dev.cryo.bench.memory;

import java.io.IOException;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A 64-byte value written under a random existing key, committed on its own. */
@State(Scope.Benchmark)
public class SmallUpdateBenchmark extends FilledSubject {
  @Param({
    "cryo-process",
    "cryo-machine",
    "mapdb-wal",
    "mvstore",
    "mvstore-sync",
    "chronicle-map",
    "lmdb-nosync",
    "lmdb-sync"
  })
  public String subject;

  /** Per-thread inputs, so that threads do not share a random generator. */
  @State(Scope.Thread)
  public static class Input {
    final SplittableRandom random = new SplittableRandom();
    final byte[] value = new byte[64];
  }

  @Override
  protected String subjectName() {
    return subject;
  }

  @Benchmark
  public void update64Bytes(Input in) throws IOException {
    in.value[0]++;
    keyValues.update(in.random.nextInt(SubjectState.KEYS), in.value);
  }
}
