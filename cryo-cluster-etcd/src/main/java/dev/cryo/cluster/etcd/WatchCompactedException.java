package dev.cryo.cluster.etcd;

import dev.cryo.cluster.store.CoordinationException;

/**
 * A watch asked for changes older than etcd still keeps: history up to {@link #compactRevision()}
 * was compacted away. The watcher reads the keys again and watches from the revision it read.
 */
public class WatchCompactedException extends CoordinationException {
  private final long compactRevision;

  public WatchCompactedException(String prefix, long afterRevision, long compactRevision) {
    super(
        "the watch of "
            + prefix
            + " after revision "
            + afterRevision
            + " missed changes: etcd compacted its history up to revision "
            + compactRevision
            + "; read the keys again and watch from the revision read");
    this.compactRevision = compactRevision;
  }

  /** The oldest revision etcd still has. */
  public long compactRevision() {
    return compactRevision;
  }
}
