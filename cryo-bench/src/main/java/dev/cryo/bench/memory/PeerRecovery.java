package dev.cryo.bench.memory;

import dev.cryo.bench.report.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * The baselines of {@link RecoveryBenchmark}: the same situation for LMDB and H2 MVStore, each in
 * its durable configuration. {@code work} fills a store of SIZE bytes with committed 1 MiB values,
 * starts a 64 MiB transaction, prints "ready" and waits for the kill; {@code probe} opens the store
 * after the kill, reads one value and prints the nanoseconds that took.
 *
 * <p>Usage: {@code PeerRecovery work|probe lmdb|mvstore DIR [SIZE_BYTES]}
 */
public final class PeerRecovery {
  private static final int VALUE = 1 << 20;
  private static final int PER_COMMIT = 64;

  private PeerRecovery() {}

  public static void main(String[] args) throws Exception {
    boolean work = args[0].equals("work");
    String subject = args[1];
    Path dir = Path.of(args[2]);
    long size = work ? Long.parseLong(args[3]) : 0;
    if (!work) {
      warmUp(subject);
    }
    long start = System.nanoTime();
    switch (subject) {
      case "lmdb" -> lmdb(dir, work, size);
      case "mvstore" -> mvstore(dir, work, size);
      default -> throw new IllegalArgumentException("unknown subject " + subject);
    }
    if (!work) {
      System.out.println(System.nanoTime() - start);
      System.exit(0);
    }
  }

  /**
   * Loads the library's classes and native code on a scratch store, so that only the open is timed.
   */
  private static void warmUp(String subject) throws IOException {
    Path scratch = Files.createTempDirectory("cryo-bench-warmup");
    try {
      if (subject.equals("lmdb")) {
        Env.create().setMapSize(1 << 20).setMaxDbs(1).open(scratch.toFile()).close();
      } else {
        new MVStore.Builder().fileName(scratch.resolve("w.db").toString()).open().close();
      }
    } finally {
      Trees.delete(scratch);
    }
  }

  private static void lmdb(Path dir, boolean work, long size) throws InterruptedException {
    Env<ByteBuffer> env = Env.create().setMapSize(4L << 30).setMaxDbs(1).open(dir.toFile());
    Dbi<ByteBuffer> db = env.openDbi("m", DbiFlags.MDB_CREATE);
    ByteBuffer key = ByteBuffer.allocateDirect(8);
    if (!work) {
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        key.putLong(0, 0);
        if (db.get(txn, key) == null) {
          throw new IllegalStateException("LMDB lost its first value");
        }
      }
      return;
    }
    ByteBuffer value = ByteBuffer.allocateDirect(VALUE);
    new SplittableRandom(1).ints(VALUE / 4).forEach(value::putInt);
    long values = size / VALUE;
    for (long k = 0; k < values; ) {
      try (Txn<ByteBuffer> txn = env.txnWrite()) {
        for (int i = 0; i < PER_COMMIT && k < values; i++, k++) {
          key.putLong(0, k);
          db.put(txn, key, value.rewind());
        }
        txn.commit();
      }
    }
    Txn<ByteBuffer> inFlight = env.txnWrite();
    for (long k = values; k < values + PER_COMMIT; k++) {
      key.putLong(0, k);
      db.put(inFlight, key, value.rewind());
    }
    ready();
  }

  private static void mvstore(Path dir, boolean work, long size) throws InterruptedException {
    MVStore store =
        new MVStore.Builder()
            .fileName(dir.resolve("mvstore.db").toString())
            .autoCommitDisabled()
            .open();
    MVMap<Long, byte[]> map = store.openMap("m");
    if (!work) {
      if (map.get(0L) == null) {
        throw new IllegalStateException("MVStore lost its first value");
      }
      return;
    }
    byte[] value = new byte[VALUE];
    new SplittableRandom(1).nextBytes(value);
    long values = size / VALUE;
    for (long k = 0; k < values; ) {
      for (int i = 0; i < PER_COMMIT && k < values; i++, k++) {
        map.put(k, value);
      }
      store.commit();
      store.sync();
    }
    for (long k = values; k < values + PER_COMMIT; k++) {
      map.put(k, value);
    }
    ready();
  }

  private static void ready() throws InterruptedException {
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
