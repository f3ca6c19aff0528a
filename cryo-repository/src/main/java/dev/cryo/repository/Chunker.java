package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cuts a stream into content-defined chunks, so that bytes inserted or changed in one place of an
 * image change only the chunks around them, and the rest deduplicates against the previous
 * checkpoint. A rolling gear hash over the last 64 bytes picks the cut points; the gear table comes
 * from the repository key, so the cut points say nothing about the content to someone without it.
 * Cut points are normalized: harder to find before the average size and easier after, which keeps
 * chunk sizes close to the average.
 */
final class Chunker {
  private final long[] gear;
  private final int minSize;
  private final int averageSize;
  private final int maxSize;
  private final long hardMask;
  private final long easyMask;

  Chunker(long[] gear, ChunkSizes sizes) {
    if (gear.length != 256) {
      throw new IllegalArgumentException("a gear table has 256 entries");
    }
    this.gear = gear.clone();
    this.minSize = sizes.min();
    this.averageSize = sizes.average();
    this.maxSize = sizes.max();
    int bits = Integer.numberOfTrailingZeros(Integer.highestOneBit(averageSize));
    // The hash's high bits depend on all of its 64-byte window, its low bits on the last few bytes.
    this.hardMask = topBits(bits + 2);
    this.easyMask = topBits(bits - 2);
  }

  /** A chunker whose cut points are keyed by {@code key}. */
  static Chunker keyed(RepositoryKey key, ChunkSizes sizes) {
    long[] table = new long[256];
    for (int block = 0; block < 256 / 4; block++) {
      ByteBuffer bytes =
          ByteBuffer.wrap(key.derive("chunker gear " + block)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 4; i++) {
        table[block * 4 + i] = bytes.getLong();
      }
    }
    return new Chunker(table, sizes);
  }

  /** What to do with each chunk, in stream order; the buffer is reused after the call returns. */
  @FunctionalInterface
  interface ChunkSink {
    void accept(byte[] buffer, int offset, int length) throws IOException, ImageStoreException;
  }

  /** Reads {@code in} to its end and hands each chunk to {@code sink}. */
  void split(InputStream in, ChunkSink sink) throws IOException, ImageStoreException {
    byte[] buffer = new byte[2 * maxSize];
    int start = 0;
    int end = 0;
    boolean eof = false;
    while (true) {
      if (!eof && end - start < maxSize) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
        while (end < buffer.length) {
          int read = in.read(buffer, end, buffer.length - end);
          if (read < 0) {
            eof = true;
            break;
          }
          end += read;
        }
      }
      if (start == end) {
        return;
      }
      int length = cut(buffer, start, end - start);
      sink.accept(buffer, start, length);
      start += length;
    }
  }

  /** The length of the chunk that starts at {@code offset}, of at most {@code available} bytes. */
  int cut(byte[] data, int offset, int available) {
    if (available <= minSize) {
      return available;
    }
    int limit = Math.min(available, maxSize);
    int normal = Math.min(limit, averageSize);
    long hash = 0;
    int i = minSize;
    for (; i < normal; i++) {
      hash = (hash << 1) + gear[data[offset + i] & 0xff];
      if ((hash & hardMask) == 0) {
        return i + 1;
      }
    }
    for (; i < limit; i++) {
      hash = (hash << 1) + gear[data[offset + i] & 0xff];
      if ((hash & easyMask) == 0) {
        return i + 1;
      }
    }
    return limit;
  }

  private static long topBits(int count) {
    return count <= 0 ? 0 : -1L << (64 - count);
  }
}
