package dev.cryo.bench.report;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical limits a checkpoint's figures are read against, measured in the same run on the same
 * machine: how fast memory can be copied, and how fast the disk under the image store writes
 * durably and reads without the page cache. Each figure is the median of a few repetitions, in
 * bytes per second.
 */
public record MachineThroughput(
    double memoryCopy, double diskWrite, double diskRead, long diskBytes) {
  private static final int COPY_BYTES = 256 << 20;
  private static final int BLOCK = 1 << 20;

  /**
   * Measures all three; the disk figures with a file of {@code diskBytes} in {@code dir}, deleted
   * after.
   */
  public static MachineThroughput measure(Path dir, long diskBytes, int repeats)
      throws IOException {
    List<Double> copy = new ArrayList<>();
    List<Double> write = new ArrayList<>();
    List<Double> read = new ArrayList<>();
    byte[] from = new byte[COPY_BYTES];
    byte[] to = new byte[COPY_BYTES];
    for (int i = 0; i < from.length; i += 4096) {
      from[i] = (byte) i;
      to[i] = 1;
    }
    System.arraycopy(from, 0, to, 0, COPY_BYTES);
    Path file = dir.resolve("throughput.bin");
    try {
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
          System.arraycopy(from, 0, to, 0, COPY_BYTES);
        }
        copy.add(4.0 * COPY_BYTES / ((System.nanoTime() - start) / 1e9));
        write.add(writeDurably(file, diskBytes));
        read.add(readDirect(file, diskBytes));
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return new MachineThroughput(
        Statistics.median(copy), Statistics.median(write), Statistics.median(read), diskBytes);
  }

  private static double writeDurably(Path file, long bytes) throws IOException {
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    for (int i = 0; i < BLOCK; i++) {
      block.put(i, (byte) (i * 31));
    }
    long start = System.nanoTime();
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long done = 0; done < bytes; done += BLOCK) {
        block.clear();
        while (block.hasRemaining()) {
          out.write(block);
        }
      }
      out.force(false);
    }
    return bytes / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Reads with O_DIRECT, so that the page cache, which holds the file just written, is not
   * measured.
   */
  private static double readDirect(Path file, long bytes) throws IOException {
    int align = (int) Files.getFileStore(file).getBlockSize();
    ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK + align).alignedSlice(align);
    long start = System.nanoTime();
    long total = 0;
    try (FileChannel in =
        FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
      for (int n; (n = in.read(buffer.clear())) > 0; ) {
        total += n;
      }
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }
}
