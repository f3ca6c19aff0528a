package dev.cryo.recoverable;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32;

/**
 * Recoverable memory: a region of bytes, backed by a memory-mapped file, changed only inside
 * transactions that either commit whole or leave no trace, across a crash of the process (and, with
 * {@link Durability#MACHINE_CRASH}, of the machine). An instance is one such region.
 *
 * <p>The technique is Vista's (Lowell and Chen, SOSP 1997): before changing a range, a transaction
 * copies its old contents to an undo log in the same mapped file; commit discards the log with a
 * single 8-byte memory store; abort, or recovery after a crash, copies the old contents back. A
 * killed process's writes to a shared mapping stay in the page cache, so the undo log survives
 * exactly as far as the data does.
 *
 * <p>Concurrency: one transaction at a time ({@link #begin()} waits for the running one), from the
 * thread that began it. Reads need no transaction; a reader that must not see a transaction in
 * flight reads under {@link #readLock()}. With {@link Durability#MACHINE_CRASH} a committer
 * releases the region before waiting for its flush, so that the next transaction can run and
 * commits made meanwhile share one flush; a reader may therefore see a commit a moment before it is
 * durable, never one that could be undone by recovery out of order.
 *
 * <p>File layout: a 4 KiB header, then the undo log, then the data region (both 4 KiB-aligned).
 */
public final class RecoverableMemory implements Closeable {
  static final long MAGIC = 0x314d5652_4f595243L; // "CRYORVM1", little-endian
  static final int FORMAT = 1;
  static final int PAGE = 4096;
  static final int HEADER_CHECKED_BYTES = 32;
  static final long OFF_MAGIC = 0;
  static final long OFF_FORMAT = 8;
  static final long OFF_DURABILITY = 12;
  static final long OFF_DATA_SIZE = 16;
  static final long OFF_UNDO_CAPACITY = 24;
  static final long OFF_HEADER_CRC = 32;

  /**
   * At or above zero: the last committed sequence, nothing in flight. Negative: minus the sequence
   * in flight.
   */
  static final long OFF_STATE = 64;

  static final long OFF_UNDO_USED = 72;
  static final long UNDO_START = PAGE;

  /** Changes since the last write-back to the data file before the log is folded in. */
  static final long REDO_LOG_LIMIT = 64L << 20;

  private final Path file;
  private final FileChannel channel;

  /**
   * Replaced only after a restore from a checkpoint, under the write lock; volatile for lock-free
   * readers.
   */
  private volatile MappedFile map;

  private final Durability durability;
  private final long dataSize;
  private final long undoCapacity;
  private final long dataStart;

  /** Closed and reopened around a process checkpoint, under the write lock. */
  private RedoLog redo;

  private DirtyPages dirty;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private Transaction current;
  private volatile boolean closed;

  /** Why the region can no longer be used, if a catch-up after a checkpoint failed. */
  private volatile String broken;

  private RecoverableMemory(
      Path file,
      FileChannel channel,
      MappedFile map,
      Durability durability,
      long dataSize,
      long undoCapacity,
      RedoLog redo) {
    this.file = file;
    this.channel = channel;
    this.map = map;
    this.durability = durability;
    this.dataSize = dataSize;
    this.undoCapacity = undoCapacity;
    this.dataStart = UNDO_START + roundUp(undoCapacity, PAGE);
    this.redo = redo;
    this.dirty = redo == null ? null : new DirtyPages(dataSize);
  }

  static long roundUp(long value, long unit) {
    return (value + unit - 1) / unit * unit;
  }

  /** The redo log that goes with a {@link Durability#MACHINE_CRASH} region's file. */
  public static Path redoLogOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".redo");
  }

  /** Creates a new region; fails if {@code file} exists, so that nothing is ever overwritten. */
  public static RecoverableMemory create(Path file, RecoverableMemoryOptions options)
      throws IOException {
    long undo = roundUp(options.undoCapacity(), 8);
    long fileSize = UNDO_START + roundUp(undo, PAGE) + options.dataSize();
    ByteBuffer header = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
    header
        .putLong((int) OFF_MAGIC, MAGIC)
        .putInt((int) OFF_FORMAT, FORMAT)
        .putInt((int) OFF_DURABILITY, options.durability().ordinal())
        .putLong((int) OFF_DATA_SIZE, options.dataSize())
        .putLong((int) OFF_UNDO_CAPACITY, undo);
    header.putInt((int) OFF_HEADER_CRC, headerCrc(header.array()));
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(header, 0);
      ch.truncate(fileSize);
      if (ch.size() < fileSize) {
        ch.write(ByteBuffer.wrap(new byte[1]), fileSize - 1);
      }
      ch.force(true);
    }
    if (options.durability() == Durability.MACHINE_CRASH) {
      Files.deleteIfExists(redoLogOf(file));
    }
    return open(file);
  }

  /**
   * Opens a region and recovers it: a transaction that was in flight when its process died is
   * rolled back, and with {@link Durability#MACHINE_CRASH} every intact commit in the redo log is
   * replayed. Recovery may itself be interrupted and simply runs again at the next open.
   *
   * @throws RecoverableMemoryFormatException if the file is not a region, is from another format
   *     version, or is shorter than its header says
   */
  public static RecoverableMemory open(Path file) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "no recoverable memory region here; create one with RecoverableMemory.create");
    }
    try {
      ByteBuffer header = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
      while (header.hasRemaining() && ch.read(header, header.position()) > 0) {
        // read the whole header, or as much as there is
      }
      if (header.position() < HEADER_CHECKED_BYTES + 4
          || header.getLong((int) OFF_MAGIC) != MAGIC) {
        throw new RecoverableMemoryFormatException(
            file + " is not a cryo recoverable memory region (no CRYORVM1 header)");
      }
      int format = header.getInt((int) OFF_FORMAT);
      if (format != FORMAT) {
        throw new RecoverableMemoryFormatException(
            file
                + " is a cryo recoverable memory region of format "
                + format
                + ", which this version (format "
                + FORMAT
                + ") cannot read");
      }
      if (header.getInt((int) OFF_HEADER_CRC) != headerCrc(header.array())) {
        throw new RecoverableMemoryFormatException(
            file + " has a damaged header (checksum mismatch)");
      }
      int mode = header.getInt((int) OFF_DURABILITY);
      long dataSize = header.getLong((int) OFF_DATA_SIZE);
      long undo = header.getLong((int) OFF_UNDO_CAPACITY);
      if (mode < 0 || mode >= Durability.values().length || dataSize <= 0 || undo <= 0) {
        throw new RecoverableMemoryFormatException(file + " has an invalid header");
      }
      long expected = UNDO_START + roundUp(undo, PAGE) + dataSize;
      if (ch.size() < expected) {
        throw new RecoverableMemoryFormatException(
            file
                + " is truncated: "
                + ch.size()
                + " bytes where its header says "
                + expected
                + "; restore it from a copy");
      }
      Durability durability = Durability.values()[mode];
      FileChannel.MapMode mapMode =
          durability == Durability.MACHINE_CRASH
              ? FileChannel.MapMode.PRIVATE
              : FileChannel.MapMode.READ_WRITE;
      MappedFile map = new MappedFile(ch, mapMode, expected);
      RedoLog redo = durability == Durability.MACHINE_CRASH ? RedoLog.open(redoLogOf(file)) : null;
      RecoverableMemory region =
          new RecoverableMemory(file, ch, map, durability, dataSize, undo, redo);
      region.recover();
      return region;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Test hook: runs only the first {@code maxRecords} steps of rolling back a transaction in
   * flight, then stops as a crash during recovery would.
   */
  static void recoverPartially(Path file, int maxRecords) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(header, 0);
      long dataSize = header.getLong((int) OFF_DATA_SIZE);
      long undo = header.getLong((int) OFF_UNDO_CAPACITY);
      MappedFile map =
          new MappedFile(
              ch, FileChannel.MapMode.READ_WRITE, UNDO_START + roundUp(undo, PAGE) + dataSize);
      new RecoverableMemory(file, ch, map, Durability.PROCESS_CRASH, dataSize, undo, null)
          .rollBackInFlight(maxRecords);
      map.force();
    }
  }

  static int headerCrc(byte[] header) {
    CRC32 crc = new CRC32();
    crc.update(header, 0, HEADER_CHECKED_BYTES);
    return (int) crc.getValue();
  }

  private void recover() throws IOException {
    rollBackInFlight(Integer.MAX_VALUE);
    if (redo != null) {
      long last = map.getLong(OFF_STATE);
      for (RedoLog.Entry entry : redo.replay()) {
        for (RedoLog.Range r : entry.ranges()) {
          map.put(dataStart + r.offset(), r.bytes(), 0, r.bytes().length);
          dirty.mark(r.offset(), r.bytes().length);
        }
        last = Math.max(last, entry.sequence());
      }
      map.putLong(OFF_STATE, last);
      writeBack();
    }
  }

  /**
   * Undoes the transaction in flight, if any, applying at most {@code maxRecords} undo records (all
   * of them outside tests, which use the limit to stop a recovery half way).
   */
  void rollBackInFlight(int maxRecords) {
    long state = map.getLong(OFF_STATE);
    if (state >= 0) {
      map.putLong(OFF_UNDO_USED, 0);
      return;
    }
    List<long[]> records = undoRecords();
    int applied = 0;
    for (int i = records.size() - 1; i >= 0 && applied < maxRecords; i--, applied++) {
      long[] r = records.get(i);
      map.copy(r[0], dataStart + r[1], r[2]);
    }
    if (applied < records.size()) {
      return;
    }
    VarHandle.releaseFence();
    map.putLong(OFF_STATE, -state - 1);
    VarHandle.storeStoreFence();
    map.putLong(OFF_UNDO_USED, 0);
  }

  /** The undo records as {position of the saved bytes, data offset, length}, oldest first. */
  private List<long[]> undoRecords() {
    long used = Math.min(map.getLong(OFF_UNDO_USED), undoCapacity);
    List<long[]> records = new ArrayList<>();
    long at = 0;
    while (at + 16 <= used) {
      long offset = map.getLong(UNDO_START + at);
      long length = map.getLong(UNDO_START + at + 8);
      long size = 16 + roundUp(length, 8);
      if (offset < 0 || length <= 0 || offset + length > dataSize || at + size > used) {
        break;
      }
      records.add(new long[] {UNDO_START + at + 16, offset, length});
      at += size;
    }
    return records;
  }

  public Durability durability() {
    return durability;
  }

  /** Bytes of recoverable memory. */
  public long size() {
    return dataSize;
  }

  public Path file() {
    return file;
  }

  /** Bytes of undo log: the most one transaction can declare, less 16 bytes per range. */
  public long undoCapacity() {
    return undoCapacity;
  }

  /**
   * Zeroes {@code [offset, offset + length)} in as many transactions as the undo log needs, for
   * laying out a new structure over space that may hold old data. Not atomic as a whole: the caller
   * marks the structure valid in a transaction of its own afterwards.
   */
  public void zero(long offset, long length) {
    check(offset, length);
    long step = Math.max(8, Math.min(1 << 20, undoCapacity - 16) / 8 * 8);
    byte[] zeros = new byte[(int) Math.min(step, length)];
    for (long at = offset; at < offset + length; at += step) {
      int n = (int) Math.min(step, offset + length - at);
      try (Transaction tx = begin()) {
        tx.declare(at, n).put(at, zeros, 0, n);
        tx.commit();
      }
    }
  }

  /** The sequence number of the last committed transaction (0 for a new region). */
  public long commitSequence() {
    long state = map.getLong(OFF_STATE);
    return state >= 0 ? state : -state - 1;
  }

  /**
   * Starts a transaction, waiting while another one runs. Declare each range before changing it
   * ({@link Transaction#declare}), then {@link Transaction#commit()} or {@link
   * Transaction#abort()}.
   */
  public Transaction begin() {
    ensureOpen();
    requireNoTransactionOfThisThread("transactions do not nest");
    requireNoReadHold("begin a transaction");
    lock.writeLock().lock();
    try {
      ensureOpen();
      long sequence = commitSequence() + 1;
      map.putLong(OFF_UNDO_USED, 0);
      VarHandle.storeStoreFence();
      map.putLong(OFF_STATE, -sequence);
      // Neither the CPU nor the JIT may let a later undo record or data write pass this store.
      VarHandle.storeStoreFence();
      current = new Transaction(this, sequence);
      return current;
    } catch (RuntimeException e) {
      lock.writeLock().unlock();
      throw e;
    }
  }

  /** Fails if the calling thread has a transaction open, which would wait for itself. */
  private void requireNoTransactionOfThisThread(String advice) {
    if (lock.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException(
          "this thread has transaction " + current.sequence() + " open; " + advice);
    }
  }

  /**
   * Holds the region still for a checkpoint of this process: waits for the transaction in flight,
   * keeps new ones waiting, and in machine-crash mode folds the redo log into the data file and
   * closes it (CRIU refuses to restore an open file whose size has changed, and the log's would).
   * The calling thread must later call {@link CheckpointHold#release}; docs/recoverable-memory.md
   * tells what a restore from the checkpoint then means for the region.
   */
  public CheckpointHold holdForCheckpoint() throws IOException, InterruptedException {
    ensureOpen();
    requireNoTransactionOfThisThread("commit or abort it before the checkpoint");
    requireNoReadHold("hold the region for a checkpoint");
    // Interruptible: a transaction left open elsewhere must not keep the checkpoint waiting past
    // its timeout, when the runtime interrupts this thread.
    lock.writeLock().lockInterruptibly();
    try {
      ensureOpen();
      if (redo != null) {
        writeBack();
        redo.close();
      }
      return new CheckpointHold(this, commitSequence());
    } catch (IOException | RuntimeException e) {
      lock.writeLock().unlock();
      throw e;
    }
  }

  /**
   * Ends a hold. In a restored process the file is the truth, not the image: it may hold commits
   * made after the checkpoint (by the process that went on and crashed), and a transaction that
   * process left in flight. So the region recovers as on open: it maps the file afresh where the
   * image holds a private copy (machine-crash mode), rolls back what was in flight and replays the
   * redo log.
   */
  CheckpointHold.Reconciliation release(CheckpointHold hold, boolean restored) throws IOException {
    if (!lock.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException("a checkpoint hold is released by the thread that took it");
    }
    try {
      if (durability == Durability.MACHINE_CRASH) {
        redo = RedoLog.open(redoLogOf(file));
        if (restored) {
          map = new MappedFile(channel, FileChannel.MapMode.PRIVATE, dataStart + dataSize);
          dirty = new DirtyPages(dataSize);
        }
      }
      if (restored) {
        recover();
      }
      return new CheckpointHold.Reconciliation(
          hold.sequenceAtCheckpoint(), commitSequence(), restored);
    } catch (IOException | RuntimeException e) {
      // Half caught up (no redo log, or a recovery cut short): no transaction may run on that.
      broken =
          "it could not catch up with "
              + file
              + " after a checkpoint ("
              + e.getMessage()
              + "); reopen it";
      throw e;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void requireNoReadHold(String what) {
    if (lock.getReadHoldCount() > 0) {
      throw new IllegalStateException(
          "this thread holds the region's read lock and cannot "
              + what
              + " (it would wait for itself); release the read lock first");
    }
  }

  /** The lock a reader holds to see no transaction in flight. */
  public Lock readLock() {
    return lock.readLock();
  }

  // Reads, with or without a transaction.

  public long getLong(long offset) {
    check(offset, 8);
    return map.getLong(dataStart + offset);
  }

  public int getInt(long offset) {
    check(offset, 4);
    return map.getInt(dataStart + offset);
  }

  public byte get(long offset) {
    check(offset, 1);
    return map.get(dataStart + offset);
  }

  public void get(long offset, byte[] dst, int dstOffset, int length) {
    check(offset, length);
    map.get(dataStart + offset, dst, dstOffset, length);
  }

  public byte[] get(long offset, int length) {
    byte[] bytes = new byte[length];
    get(offset, bytes, 0, length);
    return bytes;
  }

  void check(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > dataSize) {
      throw new IndexOutOfBoundsException(
          "range ["
              + offset
              + ", "
              + (offset + length)
              + ") is outside the region's "
              + dataSize
              + " bytes");
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the region " + file + " is closed");
    }
    if (broken != null) {
      throw new RecoverableMemoryFailedException(
          "the region " + file + " is unusable: " + broken, null);
    }
  }

  // Called by Transaction, which holds the write lock.

  void saveUndo(long offset, long length) {
    long used = map.getLong(OFF_UNDO_USED);
    long size = 16 + roundUp(length, 8);
    if (used + size > undoCapacity) {
      throw new TransactionTooLargeException(
          "declaring "
              + length
              + " bytes at "
              + offset
              + " needs "
              + size
              + " bytes of undo log and "
              + (undoCapacity - used)
              + " of "
              + undoCapacity
              + " are left; commit smaller transactions or create the region with a larger undoCapacity");
    }
    long at = UNDO_START + used;
    map.putLong(at, offset);
    map.putLong(at + 8, length);
    map.copy(dataStart + offset, at + 16, length);
    VarHandle.releaseFence();
    map.putLong(OFF_UNDO_USED, used + size);
    // The record must count before the caller's first write to the range it protects.
    VarHandle.storeStoreFence();
    if (dirty != null) {
      dirty.mark(offset, length);
    }
  }

  void writeLong(long offset, long value) {
    map.putLong(dataStart + offset, value);
  }

  void writeInt(long offset, int value) {
    map.putInt(dataStart + offset, value);
  }

  void writeByte(long offset, byte value) {
    map.put(dataStart + offset, value);
  }

  void write(long offset, byte[] src, int srcOffset, int length) {
    map.put(dataStart + offset, src, srcOffset, length);
  }

  /** The commit point: one 8-byte store. Returns the log position to wait for, or -1. */
  long commitInMemory(Transaction tx, List<long[]> declared) {
    long redoEnd = -1;
    if (redo != null) {
      List<RedoLog.Range> ranges = new ArrayList<>(declared.size());
      for (long[] d : declared) {
        ranges.add(new RedoLog.Range(d[0], get(d[0], (int) d[1])));
      }
      redoEnd = redo.append(RedoLog.encode(tx.sequence(), ranges));
    }
    VarHandle.releaseFence();
    map.putLong(OFF_STATE, tx.sequence());
    // The commit point must be seen before the undo log is emptied, or a crash in between would
    // leave a transaction in flight with nothing to undo it.
    VarHandle.storeStoreFence();
    map.putLong(OFF_UNDO_USED, 0);
    return redoEnd;
  }

  void abortInMemory() {
    rollBackInFlight(Integer.MAX_VALUE);
  }

  /** Ends the transaction's hold on the region; with a redo log, waits for its flush after that. */
  void release(Transaction tx, long redoEnd) {
    // The log this commit went to: after the lock is dropped a checkpoint hold may close it and
    // open another, and waiting on the old one is then answered at once (it was folded durably).
    RedoLog log = redo;
    boolean foldLog = log != null && log.size() > REDO_LOG_LIMIT;
    try {
      if (foldLog) {
        redo.awaitDurable(redoEnd);
        writeBack();
      }
    } catch (IOException e) {
      throw new RecoverableMemoryFailedException(
          "could not write the region back to " + file + ": " + e.getMessage(), e);
    } finally {
      current = null;
      lock.writeLock().unlock();
    }
    if (redoEnd >= 0 && !foldLog) {
      try {
        log.awaitDurable(redoEnd);
      } catch (IOException e) {
        throw new RecoverableMemoryFailedException(
            "commit "
                + tx.sequence()
                + " may not be durable: the redo log of "
                + file
                + " failed: "
                + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Machine-crash mode: copies every changed page to the data file, flushes it, then records the
   * commit sequence in the file's header and empties the redo log. A crash in between replays the
   * log again, which rewrites the same bytes.
   */
  private void writeBack() throws IOException {
    redo.awaitDurable(redo.end());
    for (long[] range : dirty.ranges()) {
      map.writeTo(channel, dataStart + range[0], range[1]);
    }
    channel.force(false);
    ByteBuffer state = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    state.putLong(commitSequence()).putLong(0).flip();
    channel.write(state, OFF_STATE);
    channel.force(false);
    redo.truncate();
    dirty.clear();
  }

  /**
   * Closes the region. A transaction still open is rolled back. In machine-crash mode the redo log
   * is folded into the data file first.
   */
  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      if (current != null) {
        abortInMemory();
        current = null;
      }
      if (redo != null) {
        writeBack();
        redo.close();
      }
      closed = true;
      channel.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
