package dev.cryo.bench.memory;

import java.io.IOException;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Chronicle Map persisted to a memory-mapped file: each put is atomic for its key and survives a
 * process crash, but there are no multi-key transactions and no flush to disk.
 */
final class ChronicleSubject implements KeyValueSubject {
  private final ChronicleMap<Long, byte[]> map;

  ChronicleSubject(Path dir, int keys) throws IOException {
    map =
        ChronicleMap.of(Long.class, byte[].class)
            .name("m")
            .entries(keys)
            .averageValueSize(64)
            .createPersistedTo(dir.resolve("chronicle.map").toFile());
  }

  @Override
  public void update(long key, byte[] value) {
    map.put(key, value);
  }

  @Override
  public void updateAll(long[] keys, byte[] value) {
    for (long k : keys) {
      map.put(k, value);
    }
  }

  @Override
  public boolean atomicMultiKey() {
    return false;
  }

  @Override
  public void close() {
    map.close();
  }
}
