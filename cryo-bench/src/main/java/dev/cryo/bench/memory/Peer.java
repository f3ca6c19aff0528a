package dev.cryo.bench.memory;

import java.util.Arrays;
import java.util.List;

/**
 * What each benchmarked subject promises about a committed write, as configured here, and the
 * system calls a commit makes (counted with {@code strace -c} over {@link SyncProbe}).
 */
enum Peer {
  CRYO_PROCESS(
      "cryo-process",
      Survives.PROCESS_CRASH,
      true,
      "cryo-recoverable-memory, PROCESS_CRASH: undo log in a shared mapping; commit is two memory stores, no system call"),
  CRYO_MACHINE(
      "cryo-machine",
      Survives.MACHINE_CRASH,
      true,
      "cryo-recoverable-memory, MACHINE_CRASH: redo record written and fdatasync'ed per commit, shared by concurrent commits"),
  MAPDB_WAL(
      "mapdb-wal",
      Survives.MACHINE_CRASH,
      true,
      "MapDB 3.1 HTreeMap, transactionEnable(): write-ahead log, two fsyncs per commit()"),
  MVSTORE(
      "mvstore",
      Survives.PROCESS_CRASH,
      true,
      "H2 MVStore 2.3 (auto-commit off): commit() writes a chunk with pwrite, no fsync"),
  MVSTORE_SYNC(
      "mvstore-sync",
      Survives.MACHINE_CRASH,
      true,
      "H2 MVStore 2.3: commit() then sync(): one fsync per commit"),
  CHRONICLE_MAP(
      "chronicle-map",
      Survives.PROCESS_CRASH,
      false,
      "Chronicle Map 3.25 persisted to a file: mmap, no system call per put; no multi-key transactions"),
  LMDB_NOSYNC(
      "lmdb-nosync",
      Survives.PROCESS_CRASH,
      true,
      "LMDB 0.9 via lmdbjava 0.9.1, MDB_NOSYNC: copy-on-write B+tree, pwrite per commit, no sync"),
  LMDB_SYNC(
      "lmdb-sync",
      Survives.MACHINE_CRASH,
      true,
      "LMDB via lmdbjava, default flags: fdatasync per commit");

  /** What a commit that returned survives. */
  enum Survives {
    PROCESS_CRASH,
    MACHINE_CRASH
  }

  final String id;
  final Survives survives;
  final boolean multiKeyAtomic;
  final String promise;

  Peer(String id, Survives survives, boolean multiKeyAtomic, String promise) {
    this.id = id;
    this.survives = survives;
    this.multiKeyAtomic = multiKeyAtomic;
    this.promise = promise;
  }

  boolean isCryo() {
    return id.startsWith("cryo-");
  }

  static Peer byId(String id) {
    for (Peer p : values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown subject " + id);
  }

  /** The ids of the subjects whose commit of several keys is atomic. */
  static String[] multiKeyAtomicIds() {
    return Arrays.stream(values())
        .filter(p -> p.multiKeyAtomic)
        .map(p -> p.id)
        .toArray(String[]::new);
  }

  static List<Peer> ofClass(Survives survives) {
    return Arrays.stream(values()).filter(p -> p.survives == survives).toList();
  }
}
