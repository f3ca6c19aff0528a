package dev.cryo.bench.memory;

import dev.cryo.bench.report.Statistics;
import dev.cryo.bench.report.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical floor of a machine-crash commit on this disk: appending a small record to a file and
 * fdatasync'ing it, with nothing else around it.
 */
final class FlushFloor {
  private FlushFloor() {}

  /** Median microseconds of a 128-byte append plus {@code force(false)}, over {@code rounds}. */
  static double medianMicros(int rounds) throws IOException {
    Path dir = SubjectState.freshDirectory("flush-floor");
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve("log"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer record = ByteBuffer.allocate(128);
      List<Double> micros = new ArrayList<>();
      for (int i = 0; i < rounds + 20; i++) {
        record.clear();
        long start = System.nanoTime();
        ch.write(record);
        ch.force(false);
        if (i >= 20) {
          micros.add((System.nanoTime() - start) / 1e3);
        }
      }
      return Statistics.median(micros);
    } finally {
      Trees.delete(dir);
    }
  }
}
