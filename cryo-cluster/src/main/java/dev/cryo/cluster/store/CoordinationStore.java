package dev.cryo.cluster.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The strongly consistent key-value store that the hosts of a cluster agree through: keys under a
 * prefix, leases that expire unless renewed (a key put under a lease is deleted with it), watches,
 * and transactions that compare before they write. Every write is linearizable, and every read that
 * is not marked otherwise is too.
 *
 * <p>It exists so that the cluster's logic (membership, ownership, fencing, placement) is written
 * once against what it needs, and tested with a fake; etcd is the one real engine ({@code
 * cryo-cluster-etcd}). Keys and values are UTF-8 strings.
 *
 * <p>Every method may throw {@link CoordinationUnavailableException} when no endpoint answers (or
 * the store has lost its quorum) and {@link CoordinationAccessDeniedException} when the store
 * refuses this client's credentials.
 */
public interface CoordinationStore extends AutoCloseable {

  /** The key's current value, if it exists. */
  Optional<KeyValue> get(String key);

  /**
   * Every key that starts with {@code prefix}, in key order, with the revision they were read at.
   */
  Range range(String prefix);

  /**
   * Writes {@code value} at {@code key}, under {@code lease} ({@link Lease#NONE} for none).
   *
   * @return the store's revision after the write
   */
  long put(String key, String value, long lease);

  /** Deletes the key; returns whether it existed. */
  boolean delete(String key);

  /** Deletes every key under {@code prefix}; returns how many there were. */
  long deletePrefix(String prefix);

  /**
   * Applies {@code onSuccess} if every comparison holds, else {@code onFailure}, atomically.
   *
   * @return whether the comparisons held, and the store's revision after it
   */
  TxnResult txn(List<Compare> compares, List<TxnOp> onSuccess, List<TxnOp> onFailure);

  /** Grants a lease of {@code ttl} (whole seconds, at least one). */
  Lease grant(Duration ttl);

  /**
   * Renews the lease once.
   *
   * @return its time to live from now, as the store granted it; empty if the lease has expired or
   *     was revoked
   */
  Optional<Duration> keepAlive(long lease);

  /** Revokes the lease, deleting every key under it; a lease already gone is not an error. */
  void revoke(long lease);

  /**
   * Watches every change to keys under {@code prefix} made after {@code afterRevision}, handing
   * events to {@code listener} in order on a thread of the store's. The watch ends when closed, or
   * when the store can no longer follow it: {@code onEnd} is then told why (null when closed), and
   * the caller reads again and watches from the revision it read.
   */
  Watch watch(
      String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<Exception> onEnd);

  @Override
  void close();
}
