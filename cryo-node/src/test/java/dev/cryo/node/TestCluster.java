package dev.cryo.node;

import dev.cryo.cluster.store.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Writes what nodes and commands would write into a {@link FakeCoordinationStore}, for tests. */
final class TestCluster {
  static final Duration TTL = Duration.ofSeconds(6);

  final FakeCoordinationStore store = new FakeCoordinationStore();

  /** A live node: its key under a lease of its own; returns the lease. */
  long join(String node) {
    long lease = store.grant(TTL).id();
    store.put(ClusterKeys.node(node), "{}", lease);
    return lease;
  }

  /** Writes the program's spec; returns its revision. */
  long submit(String program, String address) {
    return store.put(
        ClusterKeys.spec(program), ClusterJson.write(program(program, address)), Lease.NONE);
  }

  /** The node's answer for the spec at {@code specRevision}, under its lease. */
  void fit(String program, String node, long lease, boolean fits, String why, long specRevision) {
    store.put(
        ClusterKeys.fit(program, node),
        ClusterJson.write(new NodeFit(fits, why, specRevision, System.currentTimeMillis())),
        lease);
  }

  /** The node owns the program, under its lease; returns the epoch. */
  long own(String program, String node, long lease) {
    return store.put(ClusterKeys.owner(program), node, lease);
  }

  ClusterView view() {
    return new ClusterView(store.range(ClusterKeys.ROOT));
  }

  List<ClusterEvent> events(String program, String type) {
    return new ClusterEvents(store, "test", false)
        .read(program).stream().filter(e -> e.type().equals(type)).toList();
  }

  static ClusterProgram program(String name, String address) {
    return new ClusterProgram(
        name,
        List.of("/bin/sleep", "1000"),
        "/",
        Map.of(),
        address,
        10_000,
        3,
        null,
        "cryo-a",
        "2025-01-01T00:00:00Z");
  }
}
