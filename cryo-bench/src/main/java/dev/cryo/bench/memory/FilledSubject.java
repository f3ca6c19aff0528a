package dev.cryo.bench.memory;

import dev.cryo.bench.report.Trees;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark state both key-value benchmarks share: the subject named by the concrete class's
 * parameter, opened in a fresh directory and filled before the trial, removed after it.
 */
public abstract class FilledSubject {
  protected KeyValueSubject keyValues;
  private Path dir;

  /** The subject's name, from the concrete benchmark's {@code @Param}. */
  protected abstract String subjectName();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = SubjectState.freshDirectory(subjectName());
    keyValues = KeyValueSubject.open(subjectName(), dir, SubjectState.KEYS);
    SubjectState.fill(keyValues);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    keyValues.close();
    Trees.delete(dir);
  }
}
