package dev.cryo.recoverable.records;

import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.Transaction;
import java.util.Arrays;

/**
 * A persistent array of fixed-layout records inside a {@link RecoverableMemory}, such as account
 * balances or slots of a scheduler. Each setter declares exactly the field it changes, so a
 * transaction that updates a few fields of many records costs only those bytes of undo log.
 */
public final class RecordArray {
  private static final long MAGIC = 0x3143455259524943L; // "CIRYREC1"
  private static final int HEADER = 32;

  private final RecoverableMemory region;
  private final long base;
  private final RecordLayout layout;
  private final long count;

  private RecordArray(RecoverableMemory region, long base, RecordLayout layout, long count) {
    this.region = region;
    this.base = base;
    this.layout = layout;
    this.count = count;
  }

  /** Bytes of the region an array of {@code count} records of {@code layout} occupies. */
  public static long bytesNeeded(RecordLayout layout, long count) {
    return HEADER + count * layout.size();
  }

  /**
   * Lays out {@code count} zeroed records at {@code offset}, in transactions of its own (call it
   * with no transaction open). The array exists once its header is committed, last.
   */
  public static RecordArray create(
      RecoverableMemory region, long offset, RecordLayout layout, long count) {
    if (count <= 0) {
      throw new IllegalArgumentException("a record array needs at least one record");
    }
    long size = bytesNeeded(layout, count);
    region.get(
        offset + size - 1); // fails early, with the region's bounds message, if it does not fit
    region.zero(offset, size);
    try (Transaction tx = region.begin()) {
      tx.declare(offset, HEADER);
      tx.putLong(offset + 8, count);
      tx.putLong(offset + 16, layout.size());
      tx.putLong(offset + 24, layout.fingerprint());
      tx.putLong(offset, MAGIC);
      tx.commit();
    }
    return new RecordArray(region, offset, layout, count);
  }

  /**
   * The array laid out at {@code offset} by {@link #create} with the same layout.
   *
   * @throws IllegalStateException if there is none, or it was created with another layout
   */
  public static RecordArray open(RecoverableMemory region, long offset, RecordLayout layout) {
    if (region.getLong(offset) != MAGIC) {
      throw new IllegalStateException(
          "no record array at offset " + offset + " of " + region.file());
    }
    if (region.getLong(offset + 24) != layout.fingerprint()
        || region.getLong(offset + 16) != layout.size()) {
      throw new IllegalStateException(
          "the record array at offset "
              + offset
              + " was created with another layout; open it with the layout it was created with");
    }
    return new RecordArray(region, offset, layout, region.getLong(offset + 8));
  }

  public long count() {
    return count;
  }

  public RecordLayout layout() {
    return layout;
  }

  private long at(long index, RecordLayout.Field field, RecordLayout.Kind kind) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("record " + index + " of " + count);
    }
    if (field.kind() != kind) {
      throw new IllegalArgumentException(
          "field '" + field.name() + "' holds " + field.kind() + ", not " + kind);
    }
    return base + HEADER + index * layout.size() + field.offset();
  }

  public long getLong(long index, RecordLayout.Field field) {
    return region.getLong(at(index, field, RecordLayout.Kind.INT64));
  }

  public int getInt(long index, RecordLayout.Field field) {
    return region.getInt(at(index, field, RecordLayout.Kind.INT32));
  }

  public byte[] getBytes(long index, RecordLayout.Field field) {
    return region.get(at(index, field, RecordLayout.Kind.BYTES), field.size());
  }

  public void setLong(Transaction tx, long index, RecordLayout.Field field, long value) {
    long position = at(index, field, RecordLayout.Kind.INT64);
    tx.declare(position, 8).putLong(position, value);
  }

  public void setInt(Transaction tx, long index, RecordLayout.Field field, int value) {
    long position = at(index, field, RecordLayout.Kind.INT32);
    tx.declare(position, 4).putInt(position, value);
  }

  /** Sets a bytes field; a shorter value is padded with zeros. */
  public void setBytes(Transaction tx, long index, RecordLayout.Field field, byte[] value) {
    if (value.length > field.size()) {
      throw new IllegalArgumentException(
          "field '" + field.name() + "' holds " + field.size() + " bytes, not " + value.length);
    }
    long position = at(index, field, RecordLayout.Kind.BYTES);
    byte[] padded = value.length == field.size() ? value : Arrays.copyOf(value, field.size());
    tx.declare(position, field.size()).put(position, padded);
  }
}
