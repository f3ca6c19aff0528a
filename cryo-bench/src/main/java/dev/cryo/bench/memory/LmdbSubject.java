package dev.cryo.bench.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava: a copy-on-write B+tree with one writer at a time. With {@code sync} every
 * commit is flushed to disk (its default); with MDB_NOSYNC a commit survives a process crash but
 * not a machine crash.
 */
final class LmdbSubject implements KeyValueSubject {
  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> db;
  private final ThreadLocal<ByteBuffer[]> buffers =
      ThreadLocal.withInitial(
          () ->
              new ByteBuffer[] {
                ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN),
                ByteBuffer.allocateDirect(64)
              });

  LmdbSubject(Path dir, boolean sync) {
    Env.Builder<ByteBuffer> builder =
        Env.create().setMapSize(1L << 30).setMaxDbs(1).setMaxReaders(64);
    env =
        sync
            ? builder.open(dir.toFile(), EnvFlags.MDB_NOTLS)
            : builder.open(dir.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC);
    db = env.openDbi("m", DbiFlags.MDB_CREATE);
  }

  private void put(Txn<ByteBuffer> txn, long key, byte[] value) {
    ByteBuffer[] b = buffers.get();
    b[0].clear();
    b[0].putLong(key).flip();
    b[1].clear();
    b[1].put(value).flip();
    db.put(txn, b[0], b[1]);
  }

  @Override
  public void update(long key, byte[] value) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      put(txn, key, value);
      txn.commit();
    }
  }

  @Override
  public void updateAll(long[] keys, byte[] value) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      for (long k : keys) {
        put(txn, k, value);
      }
      txn.commit();
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
