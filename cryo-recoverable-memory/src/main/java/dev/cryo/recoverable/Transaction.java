package dev.cryo.recoverable;

import java.util.ArrayList;
import java.util.List;

/**
 * One atomic change to a {@link RecoverableMemory}: every range is declared before it is written,
 * and either all writes commit or none survive. Writes outside the declared ranges are refused,
 * since recovery could not undo them.
 *
 * <p>Use it from the thread that began it, and close it: closing without commit aborts.
 *
 * <pre>{@code
 * try (Transaction tx = region.begin()) {
 *   tx.declare(0, 16);
 *   tx.putLong(0, balanceA - 10);
 *   tx.putLong(8, balanceB + 10);
 *   tx.commit();
 * }
 * }</pre>
 */
public final class Transaction implements AutoCloseable {
  private final RecoverableMemory region;
  private final long sequence;
  private final Thread owner = Thread.currentThread();

  /** Declared ranges as {offset, length}, in declaration order. */
  private final List<long[]> declared = new ArrayList<>();

  private boolean finished;

  Transaction(RecoverableMemory region, long sequence) {
    this.region = region;
    this.sequence = sequence;
  }

  /** The commit sequence this transaction gets if it commits. */
  public long sequence() {
    return sequence;
  }

  /**
   * Announces that {@code [offset, offset + length)} is about to change: its current contents go to
   * the undo log. Declaring a range twice is allowed and costs undo space twice.
   *
   * @throws TransactionTooLargeException if the undo log cannot hold it; nothing is changed
   */
  public Transaction declare(long offset, long length) {
    checkActive();
    region.check(offset, length);
    if (length == 0) {
      return this;
    }
    region.saveUndo(offset, length);
    declared.add(new long[] {offset, length});
    return this;
  }

  public void putLong(long offset, long value) {
    checkWritable(offset, 8);
    region.writeLong(offset, value);
  }

  public void putInt(long offset, int value) {
    checkWritable(offset, 4);
    region.writeInt(offset, value);
  }

  public void put(long offset, byte value) {
    checkWritable(offset, 1);
    region.writeByte(offset, value);
  }

  public void put(long offset, byte[] src) {
    put(offset, src, 0, src.length);
  }

  public void put(long offset, byte[] src, int srcOffset, int length) {
    checkWritable(offset, length);
    region.write(offset, src, srcOffset, length);
  }

  /**
   * Makes the transaction's writes permanent and returns its commit sequence. In {@link
   * Durability#PROCESS_CRASH} mode this is a few memory stores; in {@link Durability#MACHINE_CRASH}
   * mode it returns once the changes are on disk.
   */
  public long commit() {
    checkActive();
    finished = true;
    long redoEnd;
    try {
      redoEnd = region.commitInMemory(this, declared);
    } catch (RuntimeException e) {
      region.abortInMemory();
      region.release(this, -1);
      throw e;
    }
    region.release(this, redoEnd);
    return sequence;
  }

  /** Undoes every write of the transaction. */
  public void abort() {
    checkActive();
    finished = true;
    try {
      region.abortInMemory();
    } finally {
      region.release(this, -1);
    }
  }

  /** Aborts unless already committed or aborted. */
  @Override
  public void close() {
    if (!finished) {
      abort();
    }
  }

  private void checkActive() {
    region.ensureOpen();
    if (finished) {
      throw new IllegalStateException("transaction " + sequence + " has already ended");
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "transaction " + sequence + " belongs to thread " + owner.getName());
    }
  }

  private void checkWritable(long offset, long length) {
    checkActive();
    region.check(offset, length);
    for (long[] d : declared) {
      if (offset >= d[0] && offset + length <= d[0] + d[1]) {
        return;
      }
    }
    if (coveredByUnion(offset, length)) {
      return;
    }
    throw new IllegalStateException(
        "write to ["
            + offset
            + ", "
            + (offset + length)
            + ") outside the ranges declared in transaction "
            + sequence
            + "; declare it first");
  }

  /** A write spanning two adjacent declared ranges is covered too. */
  private boolean coveredByUnion(long offset, long length) {
    long end = offset + length;
    long reached = offset;
    boolean progress = true;
    while (reached < end && progress) {
      progress = false;
      for (long[] d : declared) {
        if (d[0] <= reached && d[0] + d[1] > reached) {
          reached = d[0] + d[1];
          progress = true;
        }
      }
    }
    return reached >= end;
  }
}
