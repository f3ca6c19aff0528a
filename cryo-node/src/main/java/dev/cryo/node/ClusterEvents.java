package dev.cryo.node;

import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's event log of each program, kept in the coordination store under {@link
 * ClusterKeys#events}: keys ordered by time, the oldest deleted beyond {@link #KEEP}. An event that
 * cannot be stored (the store is away) goes to the node's own log only: recording must never stop a
 * decision.
 */
public final class ClusterEvents {
  /** Events kept per program. */
  static final int KEEP = 500;

  private final CoordinationStore store;
  private final String node;
  private final boolean echo;
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param node who records the events: a node's name, or "cli" for commands
   * @param echo whether each event is also printed to standard error (a node's log)
   */
  public ClusterEvents(CoordinationStore store, String node, boolean echo) {
    this.store = store;
    this.node = node;
    this.echo = echo;
  }

  /** Records an event of {@code program} (and prints it, if this log echoes). */
  public void append(String program, String type, String message) {
    ClusterEvent event = new ClusterEvent(Instant.now().toString(), node, type, message);
    if (echo) {
      System.err.println(event.time() + " " + program + " " + type + ": " + message);
    }
    // Time first, so that keys sort as the events happened; then node and a counter, so that
    // two events in one millisecond never share a key.
    String key =
        String.format(
            "%s%013d-%s-%06d",
            ClusterKeys.events(program),
            System.currentTimeMillis(),
            node,
            sequence.incrementAndGet() % 1_000_000);
    try {
      store.put(key, ClusterJson.write(event), Lease.NONE);
      if (sequence.get() % 50 == 0) {
        trim(program);
      }
    } catch (CoordinationException e) {
      System.err.println("cryo node: could not record that event in etcd: " + e.getMessage());
    }
  }

  /** Every event kept of {@code program}, oldest first. */
  public List<ClusterEvent> read(String program) {
    List<ClusterEvent> events = new ArrayList<>();
    for (KeyValue kv : store.range(ClusterKeys.events(program)).keys()) {
      events.add(ClusterJson.read(kv.value(), ClusterEvent.class));
    }
    return events;
  }

  private void trim(String program) {
    List<KeyValue> keys = store.range(ClusterKeys.events(program)).keys();
    for (int i = 0; i < keys.size() - KEEP; i++) {
      store.delete(keys.get(i).key());
    }
  }
}
