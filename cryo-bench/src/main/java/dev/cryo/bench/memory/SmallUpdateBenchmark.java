package dev.cryo.bench.memory;

import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A 64-byte value written under a random existing key, committed on its own. */
@State(Scope.Benchmark)
public class SmallUpdateBenchmark extends FilledSubject {
  @Benchmark
  public void update64Bytes(Input in) throws IOException {
    keyValues.update(in.anyKey(), in.nextValue());
  }
}
