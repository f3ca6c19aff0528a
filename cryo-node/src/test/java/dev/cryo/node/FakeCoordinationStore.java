package dev.cryo.node;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.CoordinationUnavailableException;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.Range;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.TxnResult;
import dev.cryo.cluster.store.Watch;
import dev.cryo.cluster.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An in-memory coordination store for logic tests, with etcd's semantics where the cluster's logic
 * depends on them: one global revision that each write (a put, a delete that deleted something, a
 * transaction that changed something) advances by one; create revision, mod revision and version
 * per key; a missing key compares as revisions, version and lease 0, and fails every value
 * comparison; leases that expire on a clock the test moves ({@link #advance}) or at once ({@link
 * #expire}), deleting their keys in one revision; watches that replay history after a revision and
 * then hear every change, on the caller's thread.
 *
 * <p>{@link #unavailable(boolean)} makes every call throw {@link CoordinationUnavailableException},
 * as when no etcd member answers; leases keep expiring meanwhile, as they do in etcd.
 */
public final class FakeCoordinationStore implements CoordinationStore {
  private final TreeMap<String, KeyValue> keys = new TreeMap<>();
  private final Map<Long, FakeLease> leases = new TreeMap<>();
  private final List<Change> history = new ArrayList<>();
  private final List<FakeWatch> watches = new ArrayList<>();
  private long revision = 1;
  private long nextLease = 0x7a3e0001L;
  private Duration now = Duration.ZERO;
  private boolean unavailable;

  private static final class FakeLease {
    final long id;
    final Duration ttl;
    Duration deadline;

    FakeLease(long id, Duration ttl, Duration deadline) {
      this.id = id;
      this.ttl = ttl;
      this.deadline = deadline;
    }
  }

  private record Change(long revision, WatchEvent event) {}

  private final class FakeWatch implements Watch {
    final String prefix;
    final Consumer<WatchEvent> listener;
    final Consumer<Exception> onEnd;

    FakeWatch(String prefix, Consumer<WatchEvent> listener, Consumer<Exception> onEnd) {
      this.prefix = prefix;
      this.listener = listener;
      this.onEnd = onEnd;
    }

    @Override
    public void close() {
      boolean wasOpen;
      synchronized (FakeCoordinationStore.this) {
        wasOpen = watches.remove(this);
      }
      if (wasOpen) {
        onEnd.accept(null);
      }
    }
  }

  // --- What tests control ---------------------------------------------------------------------

  /** Makes every call fail as if no endpoint answered (true), or answer again (false). */
  public void unavailable(boolean away) {
    List<FakeWatch> ended = List.of();
    synchronized (this) {
      this.unavailable = away;
      if (away) {
        ended = List.copyOf(watches);
        watches.clear();
      }
    }
    for (FakeWatch watch : ended) {
      watch.onEnd.accept(new CoordinationUnavailableException("the fake store is away", null));
    }
  }

  /** Moves the store's clock on; every lease not renewed within its TTL by then expires. */
  public synchronized void advance(Duration by) {
    now = now.plus(by);
    for (FakeLease lease : List.copyOf(leases.values())) {
      if (lease.deadline.compareTo(now) <= 0) {
        end(lease.id);
      }
    }
  }

  /** Ends the lease at once, as if its TTL ran out: every key under it is deleted. */
  public synchronized void expire(long lease) {
    end(lease);
  }

  /** Whether the lease still lives. */
  public synchronized boolean hasLease(long lease) {
    return leases.containsKey(lease);
  }

  /** The store's current revision. */
  public synchronized long revision() {
    return revision;
  }

  // --- CoordinationStore ----------------------------------------------------------------------

  @Override
  public synchronized Optional<KeyValue> get(String key) {
    answer();
    return Optional.ofNullable(keys.get(key));
  }

  @Override
  public synchronized Range range(String prefix) {
    answer();
    return new Range(under(prefix), revision);
  }

  @Override
  public synchronized long put(String key, String value, long lease) {
    answer();
    apply(List.of(TxnOp.put(key, value, lease)));
    return revision;
  }

  @Override
  public synchronized boolean delete(String key) {
    answer();
    return apply(List.of(TxnOp.delete(key))) > 0;
  }

  @Override
  public synchronized long deletePrefix(String prefix) {
    answer();
    List<TxnOp> deletes = new ArrayList<>();
    for (KeyValue kv : under(prefix)) {
      deletes.add(TxnOp.delete(kv.key()));
    }
    return apply(deletes);
  }

  @Override
  public synchronized TxnResult txn(
      List<Compare> compares, List<TxnOp> onSuccess, List<TxnOp> onFailure) {
    answer();
    boolean holds = compares.stream().allMatch(this::holds);
    apply(holds ? onSuccess : onFailure);
    return new TxnResult(holds, revision);
  }

  @Override
  public synchronized Lease grant(Duration ttl) {
    answer();
    Duration granted = Duration.ofSeconds(Math.max(1, ttl.toSeconds()));
    long id = nextLease++;
    leases.put(id, new FakeLease(id, granted, now.plus(granted)));
    return new Lease(id, granted);
  }

  @Override
  public synchronized Optional<Duration> keepAlive(long lease) {
    answer();
    FakeLease found = leases.get(lease);
    if (found == null) {
      return Optional.empty();
    }
    found.deadline = now.plus(found.ttl);
    return Optional.of(found.ttl);
  }

  @Override
  public synchronized void revoke(long lease) {
    answer();
    end(lease);
  }

  @Override
  public synchronized Watch watch(
      String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<Exception> onEnd) {
    answer();
    FakeWatch watch = new FakeWatch(prefix, listener, onEnd);
    for (Change change : history) {
      if (change.revision() > afterRevision && change.event().keyValue().key().startsWith(prefix)) {
        listener.accept(change.event());
      }
    }
    watches.add(watch);
    return watch;
  }

  @Override
  public void close() {
    List<FakeWatch> open;
    synchronized (this) {
      open = List.copyOf(watches);
    }
    open.forEach(FakeWatch::close);
  }

  // --- etcd's semantics -----------------------------------------------------------------------

  private void answer() {
    if (unavailable) {
      throw new CoordinationUnavailableException(
          "no endpoint of the (fake) coordination store answered", null);
    }
  }

  private List<KeyValue> under(String prefix) {
    List<KeyValue> found = new ArrayList<>();
    for (KeyValue kv : keys.tailMap(prefix, true).values()) {
      if (!kv.key().startsWith(prefix)) {
        break;
      }
      found.add(kv);
    }
    return found;
  }

  private boolean holds(Compare compare) {
    KeyValue kv = keys.get(compare.key());
    if (compare.target() == Compare.Target.VALUE) {
      // etcd: a value compared on a key that does not exist never holds, whatever the operator.
      if (kv == null) {
        return false;
      }
      String wanted = compare.value() == null ? "" : compare.value();
      return outcome(
          compare.operator(),
          Arrays.compareUnsigned(
              kv.value().getBytes(StandardCharsets.UTF_8),
              wanted.getBytes(StandardCharsets.UTF_8)));
    }
    long actual =
        kv == null
            ? 0
            : switch (compare.target()) {
              case CREATE_REVISION -> kv.createRevision();
              case MOD_REVISION -> kv.modRevision();
              case VERSION -> kv.version();
              case LEASE -> kv.lease();
              case VALUE -> throw new IllegalStateException("compared above");
            };
    return outcome(compare.operator(), Long.compare(actual, compare.number()));
  }

  private static boolean outcome(Compare.Operator operator, int comparison) {
    return switch (operator) {
      case EQUAL -> comparison == 0;
      case NOT_EQUAL -> comparison != 0;
      case GREATER -> comparison > 0;
      case LESS -> comparison < 0;
    };
  }

  /**
   * Applies writes as one revision, if any of them changes something, and tells the watches.
   *
   * @return how many keys were written or deleted
   */
  private long apply(List<TxnOp> ops) {
    Set<String> seen = new HashSet<>();
    for (TxnOp op : ops) {
      String key = op instanceof TxnOp.Put put ? put.key() : ((TxnOp.Delete) op).key();
      if (!seen.add(key)) {
        throw new CoordinationException("duplicate key given in txn request: " + key);
      }
      if (op instanceof TxnOp.Put put
          && put.lease() != Lease.NONE
          && !leases.containsKey(put.lease())) {
        throw new CoordinationException(
            "cannot put " + key + " under lease " + put.lease() + ": the lease was not found");
      }
    }
    long next = revision + 1;
    List<WatchEvent> changes = new ArrayList<>();
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Put put) {
        KeyValue old = keys.get(put.key());
        KeyValue written =
            old == null
                ? new KeyValue(put.key(), put.value(), next, next, 1, put.lease())
                : new KeyValue(
                    put.key(),
                    put.value(),
                    old.createRevision(),
                    next,
                    old.version() + 1,
                    put.lease());
        keys.put(put.key(), written);
        changes.add(new WatchEvent(WatchEvent.Kind.PUT, written));
      } else {
        String key = ((TxnOp.Delete) op).key();
        if (keys.remove(key) != null) {
          changes.add(
              new WatchEvent(
                  WatchEvent.Kind.DELETE, new KeyValue(key, "", 0, next, 0, Lease.NONE)));
        }
      }
    }
    if (!changes.isEmpty()) {
      revision = next;
      for (WatchEvent change : changes) {
        history.add(new Change(next, change));
        for (FakeWatch watch : List.copyOf(watches)) {
          if (change.keyValue().key().startsWith(watch.prefix)) {
            watch.listener.accept(change);
          }
        }
      }
    }
    return changes.size();
  }

  private void end(long lease) {
    if (leases.remove(lease) == null) {
      return;
    }
    List<TxnOp> deletes = new ArrayList<>();
    for (KeyValue kv : keys.values()) {
      if (kv.lease() == lease) {
        deletes.add(TxnOp.delete(kv.key()));
      }
    }
    apply(deletes);
  }
}
