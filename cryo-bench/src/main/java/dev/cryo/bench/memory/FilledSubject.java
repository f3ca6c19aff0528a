package dev.cryo.bench.memory;

import dev.cryo.bench.report.Trees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark state both key-value benchmarks share: the subject named by the {@code subject}
 * parameter, opened in a fresh directory and filled before the trial, removed after it; and each
 * thread's inputs.
 */
@State(Scope.Benchmark)
public abstract class FilledSubject {
  /**
   * Every subject ({@link Peer}'s ids); a benchmark that some subjects cannot run comparably is
   * given fewer by {@link RecoverableMemoryReport} ({@code -p subject=...} on JMH's command line).
   */
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

  protected KeyValueSubject keyValues;
  private Path dir;

  /** Per-thread inputs, so that threads do not share a random generator. */
  @State(Scope.Thread)
  public static class Input {
    final SplittableRandom random = new SplittableRandom();
    final byte[] value = new byte[64];

    /** One of the keys written before the trial, at random. */
    long anyKey() {
      return random.nextInt(SubjectState.KEYS);
    }

    /** The 64-byte value to write next: the last one, changed. */
    byte[] nextValue() {
      value[0]++;
      return value;
    }
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = SubjectState.freshDirectory(subject);
    keyValues = KeyValueSubject.open(subject, dir, SubjectState.KEYS);
    SubjectState.fill(keyValues);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    keyValues.close();
    Trees.delete(dir);
  }
}
