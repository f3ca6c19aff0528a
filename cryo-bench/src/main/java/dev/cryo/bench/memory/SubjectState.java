package dev.cryo.bench.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a subject in a fresh directory, fills it with every key, and removes it afterwards. */
final class SubjectState {
  static final int KEYS = 100_000;

  private SubjectState() {}

  static Path freshDirectory(String subject) throws IOException {
    Path base = Path.of(System.getProperty("cryo.bench.dir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    return Files.createTempDirectory(base, "cryo-bench-" + subject + "-");
  }

  /**
   * Inserts every key once, a thousand per transaction, so that measured updates replace values.
   */
  static void fill(KeyValueSubject subject) throws IOException {
    byte[] value = new byte[64];
    long[] batch = new long[1000];
    for (int start = 0; start < KEYS; start += batch.length) {
      for (int i = 0; i < batch.length; i++) {
        batch[i] = start + i;
      }
      subject.updateAll(batch, value);
    }
  }
}
