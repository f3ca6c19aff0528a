package dev.cryo.bench.memory;

import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import dev.cryo.recoverable.Transaction;
import dev.cryo.recoverable.map.PersistentMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** cryo-recoverable-memory's {@link PersistentMap}, in either durability mode. */
final class CryoSubject implements KeyValueSubject {
  private final RecoverableMemory region;
  private final PersistentMap map;

  CryoSubject(Path dir, int keys, Durability durability) throws IOException {
    int capacity = keys * 2;
    long needed = PersistentMap.bytesNeeded(capacity, 8, 64);
    region =
        RecoverableMemory.create(
            dir.resolve("cryo.region"), RecoverableMemoryOptions.of(needed, durability));
    map = PersistentMap.create(region, 0, capacity, 8, 64);
  }

  private static byte[] key(long key) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(key).array();
  }

  @Override
  public void update(long key, byte[] value) {
    try (Transaction tx = region.begin()) {
      map.put(tx, key(key), value);
      tx.commit();
    }
  }

  @Override
  public void updateAll(long[] keys, byte[] value) {
    try (Transaction tx = region.begin()) {
      for (long k : keys) {
        map.put(tx, key(k), value);
      }
      tx.commit();
    }
  }

  @Override
  public void close() throws IOException {
    region.close();
  }
}
