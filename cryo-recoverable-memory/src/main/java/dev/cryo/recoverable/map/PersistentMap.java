package dev.cryo.recoverable.map;

import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A hash map inside a {@link RecoverableMemory}: byte-array (or String) keys and byte-array values,
 * changed within the region's transactions, so that several puts and removes commit together or not
 * at all.
 *
 * <p>Its area of the region is fixed at creation: {@link #bytesNeeded} bytes at an offset the
 * application chooses, holding {@code capacity} entries of at most {@code maxKey} and {@code
 * maxValue} bytes (open addressing with linear probing; keep it under about 70% full for short
 * probes). Reads need no transaction.
 */
public final class PersistentMap {
  private static final long MAGIC = 0x3150414d4f595243L; // "CRYOMAP1"
  private static final int HEADER = 64;
  private static final byte EMPTY = 0;
  private static final byte USED = 1;
  private static final byte DELETED = 2;
  private static final int SLOT_META = 8; // state, pad, key length (2), value length (4)

  private final RecoverableMemory region;
  private final long base;
  private final int capacity;
  private final int maxKey;
  private final int maxValue;
  private final int slotSize;

  private PersistentMap(
      RecoverableMemory region, long base, int capacity, int maxKey, int maxValue) {
    this.region = region;
    this.base = base;
    this.capacity = capacity;
    this.maxKey = maxKey;
    this.maxValue = maxValue;
    this.slotSize = slotSize(maxKey, maxValue);
  }

  private static int slotSize(int maxKey, int maxValue) {
    return (SLOT_META + maxKey + maxValue + 7) / 8 * 8;
  }

  /** Bytes of the region a map of this shape occupies. */
  public static long bytesNeeded(int capacity, int maxKey, int maxValue) {
    return HEADER + (long) capacity * slotSize(maxKey, maxValue);
  }

  /**
   * Lays out a new, empty map at {@code offset}, in transactions of its own (call it with no
   * transaction open). The map exists once its header is committed, last: a crash before that
   * leaves no map, and creating it again is safe.
   */
  public static PersistentMap create(
      RecoverableMemory region, long offset, int capacity, int maxKey, int maxValue) {
    if (capacity <= 0 || maxKey <= 0 || maxKey > 65535 || maxValue < 0) {
      throw new IllegalArgumentException(
          "a map needs a positive capacity, keys of 1 to 65535 bytes and values of"
              + " 0 or more bytes");
    }
    long size = bytesNeeded(capacity, maxKey, maxValue);
    region.get(
        offset + size - 1); // fails early, with the region's bounds message, if it does not fit
    region.zero(offset, size);
    try (Transaction tx = region.begin()) {
      tx.declare(offset, HEADER);
      tx.putInt(offset + 8, capacity);
      tx.putInt(offset + 12, maxKey);
      tx.putInt(offset + 16, maxValue);
      tx.putLong(offset + 24, 0);
      tx.putLong(offset, MAGIC);
      tx.commit();
    }
    return new PersistentMap(region, offset, capacity, maxKey, maxValue);
  }

  /**
   * The map laid out at {@code offset} by {@link #create}.
   *
   * @throws IllegalStateException if there is no map there
   */
  public static PersistentMap open(RecoverableMemory region, long offset) {
    if (region.getLong(offset) != MAGIC) {
      throw new IllegalStateException(
          "no persistent map at offset " + offset + " of " + region.file());
    }
    return new PersistentMap(
        region,
        offset,
        region.getInt(offset + 8),
        region.getInt(offset + 12),
        region.getInt(offset + 16));
  }

  public int capacity() {
    return capacity;
  }

  /** Number of entries. */
  public long size() {
    return region.getLong(base + 24);
  }

  public Optional<byte[]> get(byte[] key) {
    long slot = find(key);
    if (slot < 0) {
      return Optional.empty();
    }
    int length = region.getInt(slot + 4);
    return Optional.of(region.get(slot + SLOT_META + maxKey, length));
  }

  public Optional<byte[]> get(String key) {
    return get(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds or replaces an entry. */
  public void put(Transaction tx, byte[] key, byte[] value) {
    checkKey(key);
    if (value.length > maxValue) {
      throw new IllegalArgumentException(
          "value of " + value.length + " bytes exceeds this map's maximum of " + maxValue);
    }
    long existing = find(key);
    long slot = existing >= 0 ? existing : freeSlot(key);
    tx.declare(slot, SLOT_META + maxKey + value.length);
    tx.put(slot, USED);
    tx.put(slot + 2, (byte) key.length);
    tx.put(slot + 3, (byte) (key.length >>> 8));
    tx.putInt(slot + 4, value.length);
    tx.put(slot + SLOT_META, key);
    tx.put(slot + SLOT_META + maxKey, value);
    if (existing < 0) {
      tx.declare(base + 24, 8).putLong(base + 24, size() + 1);
    }
  }

  public void put(Transaction tx, String key, byte[] value) {
    put(tx, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** Removes an entry; returns whether there was one. */
  public boolean remove(Transaction tx, byte[] key) {
    long slot = find(key);
    if (slot < 0) {
      return false;
    }
    tx.declare(slot, 1).put(slot, DELETED);
    tx.declare(base + 24, 8).putLong(base + 24, size() - 1);
    return true;
  }

  public boolean remove(Transaction tx, String key) {
    return remove(tx, key.getBytes(StandardCharsets.UTF_8));
  }

  /** A view that stores values of type {@code T} through {@code codec}. */
  public <T> TypedMap<T> withValues(Codec<T> codec) {
    return new TypedMap<>(this, codec);
  }

  private void checkKey(byte[] key) {
    if (key.length == 0 || key.length > maxKey) {
      throw new IllegalArgumentException(
          "key of " + key.length + " bytes: this map takes keys of 1 to " + maxKey + " bytes");
    }
  }

  private long slotAt(int index) {
    return base + HEADER + (long) index * slotSize;
  }

  private int home(byte[] key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 29;
    return (int) Math.floorMod(h, (long) capacity);
  }

  /** The slot holding {@code key}, or -1. */
  private long find(byte[] key) {
    checkKey(key);
    int index = home(key);
    for (int probe = 0; probe < capacity; probe++) {
      long slot = slotAt(index);
      byte state = region.get(slot);
      if (state == EMPTY) {
        return -1;
      }
      if (state == USED && keyEquals(slot, key)) {
        return slot;
      }
      index = index + 1 == capacity ? 0 : index + 1;
    }
    return -1;
  }

  private boolean keyEquals(long slot, byte[] key) {
    int length = (region.get(slot + 2) & 0xff) | (region.get(slot + 3) & 0xff) << 8;
    return length == key.length && Arrays.equals(region.get(slot + SLOT_META, length), key);
  }

  private long freeSlot(byte[] key) {
    int index = home(key);
    for (int probe = 0; probe < capacity; probe++) {
      long slot = slotAt(index);
      if (region.get(slot) != USED) {
        return slot;
      }
      index = index + 1 == capacity ? 0 : index + 1;
    }
    throw new IllegalStateException(
        "the map at offset "
            + base
            + " is full ("
            + capacity
            + " entries); create a larger one and copy the entries over");
  }
}
