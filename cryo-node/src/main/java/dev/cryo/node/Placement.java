package dev.cryo.node;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.TxnOp;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses an owner for each program that has none, on the leader only: among the live nodes that
 * said they fit it, the one that owns the fewest programs. The choice is a transaction that
 * succeeds only if the program still has no owner and the chosen node still holds the lease it was
 * seen with; the owner key is put under that node's lease, so the ownership ends with it.
 *
 * <p>A program that no node fits waits, with an event that says why each node does not fit; the
 * event is written again only when the reasons change.
 */
final class Placement {
  private final CoordinationStore store;
  private final ClusterEvents events;

  /** The last owner seen of each program: why it needs a new one. */
  private final Map<String, String> lastOwners = new HashMap<>();

  /** The reasons last given for each waiting program. */
  private final Map<String, String> waiting = new HashMap<>();

  Placement(CoordinationStore store, ClusterEvents events) {
    this.store = store;
    this.events = events;
  }

  void place(ClusterView view) {
    // Programs placed in this pass count too, so that a lost host's programs spread out.
    Map<String, Integer> owned = new HashMap<>();
    view.nodes().keySet().forEach(node -> owned.put(node, view.ownedBy(node)));
    long now = System.currentTimeMillis();
    for (String program : view.programNames()) {
      Optional<KeyValue> owner = view.owner(program);
      if (owner.isPresent()) {
        lastOwners.put(program, owner.get().value());
        waiting.remove(program);
        continue;
      }
      if (view.stopRequested(program)) {
        continue;
      }
      long specRevision = view.part(program, "spec").orElseThrow().modRevision();
      Map<String, NodeFit> fits =
          view.fits(program).entrySet().stream()
              .filter(e -> view.nodes().containsKey(e.getKey()))
              .filter(e -> e.getValue().current(specRevision, now))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      List<String> candidates =
          fits.entrySet().stream()
              .filter(e -> e.getValue().fits())
              .map(Map.Entry::getKey)
              .sorted(
                  Comparator.comparingInt((String node) -> owned.getOrDefault(node, 0))
                      .thenComparing(Comparator.naturalOrder()))
              .toList();
      if (candidates.isEmpty()) {
        if (fits.size() == view.nodes().size()) {
          wait(program, fits);
        }
        continue;
      }
      String chosen = candidates.get(0);
      KeyValue chosenNode = view.nodes().get(chosen);
      String ownerKey = ClusterKeys.owner(program);
      boolean placed =
          store
              .txn(
                  List.of(
                      Compare.absent(ownerKey),
                      Compare.createdAt(ClusterKeys.node(chosen), chosenNode.createRevision())),
                  List.of(TxnOp.put(ownerKey, chosen, chosenNode.lease())),
                  List.of())
              .succeeded();
      if (placed) {
        owned.merge(chosen, 1, Integer::sum);
        waiting.remove(program);
        String previous = lastOwners.remove(program);
        events.append(
            program,
            "placed",
            "placed on "
                + chosen
                + " ("
                + (previous == null
                    ? "it had no owner"
                    : "its owner "
                        + previous
                        + " lost its lease: host lost, cut off, or its node stopped")
                + "; "
                + candidates.size()
                + " of "
                + view.nodes().size()
                + " live nodes said they fit it, and "
                + chosen
                + " owns the fewest programs)");
      }
    }
  }

  private void wait(String program, Map<String, NodeFit> fits) {
    String reasons =
        fits.isEmpty()
            ? "no live node"
            : fits.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().why())
                .sorted()
                .collect(Collectors.joining("; "));
    if (!reasons.equals(waiting.get(program))) {
      waiting.put(program, reasons);
      events.append(program, "waiting", "waiting for a node that can run it: " + reasons);
    }
  }
}
