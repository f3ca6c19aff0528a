package dev.cryo.bench.memory;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore with auto-commit off. commit() writes a new chunk to the file (through the OS, so it
 * survives a process crash); with {@code sync}, the file is also forced to disk.
 */
final class MvStoreSubject implements KeyValueSubject {
  private final MVStore store;
  private final MVMap<Long, byte[]> map;
  private final boolean sync;

  MvStoreSubject(Path dir, boolean sync) {
    this.store =
        new MVStore.Builder()
            .fileName(dir.resolve("mvstore.db").toString())
            .autoCommitDisabled()
            .open();
    this.map = store.openMap("m");
    this.sync = sync;
  }

  @Override
  public synchronized void update(long key, byte[] value) {
    map.put(key, value);
    commit();
  }

  @Override
  public synchronized void updateAll(long[] keys, byte[] value) {
    for (long k : keys) {
      map.put(k, value);
    }
    commit();
  }

  private void commit() {
    store.commit();
    if (sync) {
      store.sync();
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
