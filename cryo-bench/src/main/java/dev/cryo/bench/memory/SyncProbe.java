package dev.cryo.bench.memory;

import dev.cryo.bench.report.Trees;
import java.nio.file.Path;

/**
 * Commits 100 single-key updates to one subject, for counting under {@code strace -f -c} which
 * system calls each subject makes per commit (what its durability promise rests on).
 *
 * <p>Usage: {@code SyncProbe SUBJECT}
 */
public final class SyncProbe {
  private SyncProbe() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("chronicle.analytics.disable", "true");
    Path dir = SubjectState.freshDirectory(args[0]);
    try (KeyValueSubject subject = KeyValueSubject.open(args[0], dir, 1000)) {
      byte[] value = new byte[64];
      subject.update(0, value);
      System.out.println("probe-start");
      for (int i = 0; i < 100; i++) {
        subject.update(i, value);
      }
      System.out.println("probe-end");
    } finally {
      Trees.delete(dir);
    }
  }
}
