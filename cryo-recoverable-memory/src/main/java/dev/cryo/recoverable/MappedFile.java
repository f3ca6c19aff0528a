package dev.cryo.recoverable;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file mapped into memory in chunks, so that it may exceed the 2 GiB a single {@link
 * MappedByteBuffer} can address. Values never straddle chunks when they are naturally aligned; byte
 * ranges may, and are split here.
 */
final class MappedFile implements Closeable {
  static final int CHUNK_SHIFT = 30;
  static final long CHUNK_SIZE = 1L << CHUNK_SHIFT;

  private final MappedByteBuffer[] chunks;
  private final long size;

  MappedFile(FileChannel channel, FileChannel.MapMode mode, long size) throws IOException {
    this.size = size;
    int count = (int) ((size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT);
    chunks = new MappedByteBuffer[count];
    for (int i = 0; i < count; i++) {
      long start = (long) i << CHUNK_SHIFT;
      chunks[i] = channel.map(mode, start, Math.min(CHUNK_SIZE, size - start));
      chunks[i].order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  long size() {
    return size;
  }

  private MappedByteBuffer chunk(long position) {
    return chunks[(int) (position >>> CHUNK_SHIFT)];
  }

  private static int within(long position) {
    return (int) (position & (CHUNK_SIZE - 1));
  }

  long getLong(long position) {
    return chunk(position).getLong(within(position));
  }

  void putLong(long position, long value) {
    chunk(position).putLong(within(position), value);
  }

  int getInt(long position) {
    return chunk(position).getInt(within(position));
  }

  void putInt(long position, int value) {
    chunk(position).putInt(within(position), value);
  }

  byte get(long position) {
    return chunk(position).get(within(position));
  }

  void put(long position, byte value) {
    chunk(position).put(within(position), value);
  }

  void get(long position, byte[] dst, int offset, int length) {
    while (length > 0) {
      int in = within(position);
      int n = (int) Math.min(length, CHUNK_SIZE - in);
      chunk(position).get(in, dst, offset, n);
      position += n;
      offset += n;
      length -= n;
    }
  }

  void put(long position, byte[] src, int offset, int length) {
    while (length > 0) {
      int in = within(position);
      int n = (int) Math.min(length, CHUNK_SIZE - in);
      chunk(position).put(in, src, offset, n);
      position += n;
      offset += n;
      length -= n;
    }
  }

  /** Copies {@code length} bytes inside the file; the ranges must not overlap. */
  void copy(long from, long to, long length) {
    byte[] buffer = new byte[(int) Math.min(length, 64 * 1024)];
    while (length > 0) {
      int n = (int) Math.min(length, buffer.length);
      get(from, buffer, 0, n);
      put(to, buffer, 0, n);
      from += n;
      to += n;
      length -= n;
    }
  }

  /** Writes dirty pages of a shared mapping to the file (msync). */
  void force() {
    for (MappedByteBuffer chunk : chunks) {
      chunk.force();
    }
  }

  /** Writes a range of a private mapping's current contents to the file through the channel. */
  void writeTo(FileChannel channel, long position, long length) throws IOException {
    while (length > 0) {
      int in = within(position);
      int n = (int) Math.min(length, CHUNK_SIZE - in);
      var slice = chunk(position).duplicate();
      slice.limit(in + n).position(in);
      long at = position;
      while (slice.hasRemaining()) {
        at += channel.write(slice, at);
      }
      position += n;
      length -= n;
    }
  }

  @Override
  public void close() {
    // Mappings are released by the garbage collector; nothing to do that the JDK allows.
  }
}
