package dev.cryo.bench.store;

import dev.cryo.store.Durability;
import dev.cryo.store.RecoverableStore;
import dev.cryo.store.StoreOptions;
import dev.cryo.store.Transaction;
import dev.cryo.store.map.PersistentMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** cryo-store's {@link PersistentMap}, in either durability mode. */
final class CryoSubject implements KeyValueSubject {
  private final RecoverableStore store;
  private final PersistentMap map;

  CryoSubject(Path dir, int keys, Durability durability) throws IOException {
    int capacity = keys * 2;
    long needed = PersistentMap.bytesNeeded(capacity, 8, 64);
    store = RecoverableStore.create(dir.resolve("cryo.store"), StoreOptions.of(needed, durability));
    map = PersistentMap.create(store, 0, capacity, 8, 64);
  }

  private static byte[] key(long key) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(key).array();
  }

  @Override
  public void update(long key, byte[] value) {
    try (Transaction tx = store.begin()) {
      map.put(tx, key(key), value);
      tx.commit();
    }
  }

  @Override
  public void updateAll(long[] keys, byte[] value) {
    try (Transaction tx = store.begin()) {
      for (long k : keys) {
        map.put(tx, key(k), value);
      }
      tx.commit();
    }
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
