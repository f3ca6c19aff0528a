package dev.cryo.recoverable;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of a {@link Durability#MACHINE_CRASH} region: one record per committed
 * transaction, holding the new contents of every range it declared.
 *
 * <p>Record layout (little-endian): length of the rest (4), CRC32C of the rest (4), then the rest:
 * commit sequence (8), range count (4), and per range its offset (8), length (4) and bytes.
 * Recovery replays records up to the first one that is incomplete or fails its CRC: a torn tail is
 * exactly what a crash during an unflushed write leaves.
 *
 * <p>Group commit: records are appended in commit order to a buffer; a committer waiting for
 * durability either finds its record already flushed, waits for the flush in progress, or becomes
 * the flusher of everything buffered so far.
 */
final class RedoLog implements Closeable {
  private static final int HEADER = 8;

  private final FileChannel channel;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition flushed = lock.newCondition();
  private ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /**
   * Positions are logical and only grow: a truncation moves {@code base}, the logical position of
   * the file's first byte, so that a committer still waiting for an older position finds it durable
   * (its record is in the data file by then) instead of waiting for the log to regrow.
   */
  private long base;

  private long appendedEnd;
  private long durableEnd;
  private boolean flushing;
  private IOException failure;

  private RedoLog(FileChannel channel, long size) {
    this.channel = channel;
    this.appendedEnd = size;
    this.durableEnd = size;
  }

  static RedoLog open(Path file) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new RedoLog(ch, ch.size());
  }

  /** One range of a transaction's redo record. */
  record Range(long offset, byte[] bytes) {}

  /** A replayed record. */
  record Entry(long sequence, List<Range> ranges) {}

  static byte[] encode(long sequence, List<Range> ranges) {
    int size = 8 + 4;
    for (Range r : ranges) {
      size += 12 + r.bytes.length;
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER + size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(size).putInt(0).putLong(sequence).putInt(ranges.size());
    for (Range r : ranges) {
      b.putLong(r.offset).putInt(r.bytes.length).put(r.bytes);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), HEADER, size);
    b.putInt(4, (int) crc.getValue());
    return b.array();
  }

  /** Adds a record after the others; returns the log position that makes it durable. */
  long append(byte[] record) {
    lock.lock();
    try {
      pending.write(record, 0, record.length);
      appendedEnd += record.length;
      return appendedEnd;
    } finally {
      lock.unlock();
    }
  }

  /** Returns once everything up to {@code end} is on disk, flushing it if nobody else is. */
  void awaitDurable(long end) throws IOException {
    lock.lock();
    try {
      while (durableEnd < end) {
        if (failure != null) {
          throw failure;
        }
        if (flushing) {
          flushed.awaitUninterruptibly();
          continue;
        }
        flushing = true;
        ByteBuffer batch = ByteBuffer.wrap(pending.toByteArray());
        pending = new ByteArrayOutputStream();
        long batchEnd = appendedEnd;
        long batchBase = base;
        lock.unlock();
        IOException error = null;
        try {
          long at = batchEnd - batch.remaining() - batchBase;
          while (batch.hasRemaining()) {
            at += channel.write(batch, at);
          }
          channel.force(false);
        } catch (IOException e) {
          error = e;
        } finally {
          lock.lock();
          flushing = false;
        }
        if (error != null) {
          failure = error;
        } else {
          durableEnd = batchEnd;
        }
        flushed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Bytes in the log file, written or waiting to be. */
  long size() {
    lock.lock();
    try {
      return appendedEnd - base;
    } finally {
      lock.unlock();
    }
  }

  /** The logical position after the last record appended: what {@link #awaitDurable} takes. */
  long end() {
    lock.lock();
    try {
      return appendedEnd;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Empties the log once every record is durable and in the data file; call with no commit in
   * flight. Positions handed out before stay durable.
   */
  void truncate() throws IOException {
    lock.lock();
    try {
      if (durableEnd != appendedEnd) {
        throw new IllegalStateException("the redo log is truncated only once all of it is durable");
      }
      channel.truncate(0);
      channel.force(true);
      base = appendedEnd;
    } finally {
      lock.unlock();
    }
  }

  /** Every whole, intact record from the start of the log, in order. */
  List<Entry> replay() throws IOException {
    List<Entry> entries = new ArrayList<>();
    long size = channel.size();
    long at = 0;
    ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    while (at + HEADER <= size) {
      head.clear();
      readFully(head, at);
      int length = head.getInt(0);
      int crc = head.getInt(4);
      if (length < 12 || at + HEADER + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
      readFully(body, at + HEADER);
      CRC32C check = new CRC32C();
      check.update(body.array(), 0, length);
      if ((int) check.getValue() != crc) {
        break;
      }
      body.flip();
      long sequence = body.getLong();
      int count = body.getInt();
      List<Range> ranges = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long offset = body.getLong();
        byte[] bytes = new byte[body.getInt()];
        body.get(bytes);
        ranges.add(new Range(offset, bytes));
      }
      entries.add(new Entry(sequence, ranges));
      at += HEADER + length;
    }
    return entries;
  }

  private void readFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of the redo log");
      }
      position += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
