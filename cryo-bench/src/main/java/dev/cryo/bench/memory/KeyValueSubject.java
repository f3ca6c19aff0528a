package dev.cryo.bench.memory;

import dev.cryo.recoverable.Durability;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One subject under benchmark, cryo-recoverable-memory or a persistent store it is compared with,
 * reduced to what is measured: durable transactional updates of small values by long keys. Every
 * implementation commits before it returns, in its most durable configuration comparable to the
 * cryo-recoverable-memory mode it is set against.
 */
interface KeyValueSubject extends Closeable {
  /** Writes one value under one key and commits. */
  void update(long key, byte[] value) throws IOException;

  /** Writes several values under several keys and commits them as one atomic transaction. */
  void updateAll(long[] keys, byte[] value) throws IOException;

  /**
   * Whether {@link #updateAll} is atomic in this subject (Chronicle Map has no multi-key
   * transactions).
   */
  default boolean atomicMultiKey() {
    return true;
  }

  /** Opens the named subject in {@code dir}, sized for {@code keys} entries. */
  static KeyValueSubject open(String name, Path dir, int keys) throws IOException {
    return switch (name) {
      case "cryo-process" -> new CryoSubject(dir, keys, Durability.PROCESS_CRASH);
      case "cryo-machine" -> new CryoSubject(dir, keys, Durability.MACHINE_CRASH);
      case "mapdb-wal" -> new MapDbSubject(dir);
      case "mvstore" -> new MvStoreSubject(dir, false);
      case "mvstore-sync" -> new MvStoreSubject(dir, true);
      case "chronicle-map" -> new ChronicleSubject(dir, keys);
      case "lmdb-nosync" -> new LmdbSubject(dir, false);
      case "lmdb-sync" -> new LmdbSubject(dir, true);
      default -> throw new IllegalArgumentException("unknown subject " + name);
    };
  }
}
