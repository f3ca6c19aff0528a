package dev.cryo.node;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.linux.PrivateFiles;
import dev.cryo.supervisor.OwnershipFence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * This node's membership of the cluster: a lease in the coordination store, renewed several times
 * per TTL, under which the node's key and everything it owns live.
 *
 * <p>Each renewal also extends the lease's <em>fence</em> ({@link OwnershipFence}), a file the
 * supervisors of this node's programs read: it says until when the lease is surely still held,
 * which is the renewal's send time plus the TTL granted, less a margin. A node that cannot renew
 * (etcd away, the host cut off, the node itself dead) stops extending it, and its programs are
 * killed by their own supervisors before the lease can expire anywhere else. Each lease has its own
 * fence file, so programs started under a lease that was lost are never kept alive by a new one.
 *
 * <p>A node restarted while its lease still lives takes it up again (its id is kept on disk), and
 * with it its programs.
 */
final class Membership {
  private final CoordinationStore store;
  private final String node;
  private final Duration ttl;
  private final Path stateDir;
  private volatile long lease;
  private volatile Duration granted;

  /** When the last renewal that succeeded was sent (System.nanoTime). */
  private volatile long lastRenewalSent;

  Membership(CoordinationStore store, String node, Duration ttl, Path stateDir) {
    this.store = store;
    this.node = node;
    this.ttl = ttl;
    this.stateDir = stateDir;
  }

  /**
   * Takes up the lease kept on disk if it still lives, else a new one.
   *
   * @return whether the kept lease was taken up (and with it what the node owned)
   */
  boolean join() throws IOException {
    Optional<Long> kept = keptLease();
    if (kept.isPresent()) {
      long sent = System.nanoTime();
      Optional<Duration> left = store.keepAlive(kept.get());
      if (left.isPresent()) {
        lease = kept.get();
        granted = left.get();
        renewed(sent, left.get());
        return true;
      }
    }
    long sent = System.nanoTime();
    Lease fresh = store.grant(ttl);
    lease = fresh.id();
    granted = fresh.ttl();
    PrivateFiles.write(
        stateDir.resolve("lease"), Long.toString(lease).getBytes(StandardCharsets.UTF_8));
    renewed(sent, fresh.ttl());
    return false;
  }

  /**
   * Publishes the node's facts under its lease. Fails if a live node of another lease has this
   * name.
   */
  void register(String facts) {
    String key = ClusterKeys.node(node);
    boolean ok =
        store
            .txn(List.of(Compare.absent(key)), List.of(TxnOp.put(key, facts, lease)), List.of())
            .succeeded();
    if (!ok) {
      ok =
          store
              .txn(
                  List.of(
                      new Compare(key, Compare.Target.LEASE, Compare.Operator.EQUAL, null, lease)),
                  List.of(TxnOp.put(key, facts, lease)),
                  List.of())
              .succeeded();
    }
    if (!ok) {
      throw new NodeNameTakenException(node);
    }
  }

  /**
   * Renews the lease once.
   *
   * @return false if the lease is gone (expired or revoked): everything owned under it is lost
   */
  boolean renew() {
    long sent = System.nanoTime();
    Optional<Duration> left;
    try {
      left = store.keepAlive(lease);
    } catch (CoordinationException e) {
      // Not known to be lost: the fence is simply not extended, and runs out if this lasts.
      System.err.println("cryo node: could not renew the lease: " + e.getMessage());
      return true;
    }
    if (left.isEmpty()) {
      return false;
    }
    renewed(sent, left.get());
    return true;
  }

  private void renewed(long sentNanos, Duration left) {
    lastRenewalSent = sentNanos;
    try {
      Duration validFor = left.minus(margin()).minusNanos(System.nanoTime() - sentNanos);
      OwnershipFence.extend(fence(), validFor.isNegative() ? Duration.ZERO : validFor);
    } catch (IOException e) {
      System.err.println(
          "cryo node: could not extend the fence " + fence() + ": " + e.getMessage());
    }
  }

  /** Whether the lease may have expired, as far as this node can tell. */
  boolean fenceExpired() {
    return System.nanoTime() - lastRenewalSent > granted.minus(margin()).toNanos();
  }

  /**
   * The time kept between the fence and the lease's earliest expiry: what the supervisors need to
   * notice and kill, with room for clocks that run at slightly different rates.
   */
  Duration margin() {
    Duration quarter = granted.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
  }

  /** How often to renew: several times within the margin. */
  Duration renewInterval() {
    return margin().dividedBy(3);
  }

  long lease() {
    return lease;
  }

  /** The fence file of the current lease. */
  Path fence() {
    return stateDir.resolve("fence-" + Long.toHexString(lease));
  }

  /** Removes fence files of leases other than the current one (their runs have ended). */
  void removeOldFences() throws IOException {
    try (var files = Files.list(stateDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith("fence-") && !file.equals(fence())) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Leaves the cluster on purpose: revokes the lease, which releases what the node owned. */
  void leave() {
    store.revoke(lease);
  }

  private Optional<Long> keptLease() throws IOException {
    Path file = stateDir.resolve("lease");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
