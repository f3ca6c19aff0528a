package dev.cryo.bench.memory;

import java.nio.file.Path;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/** MapDB 3 with transactions enabled: a write-ahead log, made durable by commit(). */
final class MapDbSubject implements KeyValueSubject {
  private final DB db;
  private final HTreeMap<Long, byte[]> map;

  MapDbSubject(Path dir) {
    db = DBMaker.fileDB(dir.resolve("mapdb.db").toFile()).transactionEnable().make();
    map = db.hashMap("m", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
  }

  @Override
  public synchronized void update(long key, byte[] value) {
    map.put(key, value);
    db.commit();
  }

  @Override
  public synchronized void updateAll(long[] keys, byte[] value) {
    for (long k : keys) {
      map.put(k, value);
    }
    db.commit();
  }

  @Override
  public void close() {
    db.close();
  }
}
