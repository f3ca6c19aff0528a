package dev.cryo.node;

import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.node.placement.FileFingerprints;
import dev.cryo.node.placement.Fit;
import dev.cryo.node.placement.FitCheck;
import dev.cryo.node.placement.NodeFacts;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * This node's answers to "could you run this program?": one per program and version of its spec,
 * published under the node's lease for the leader's placement ({@link NodeFit}).
 */
final class FitAnswers {
  private final CoordinationStore store;
  private final String node;
  private final Supplier<NodeFacts> facts;
  private final FileFingerprints fingerprints;

  FitAnswers(
      CoordinationStore store,
      String node,
      Supplier<NodeFacts> facts,
      FileFingerprints fingerprints) {
    this.store = store;
    this.node = node;
    this.facts = facts;
    this.fingerprints = fingerprints;
  }

  void answer(ClusterView view, long lease) {
    for (String program : view.programNames()) {
      if (view.owner(program).isPresent() || view.stopRequested(program)) {
        continue;
      }
      KeyValue spec = view.part(program, "spec").orElseThrow();
      // Answered again while the program waits for a node: files change (a JDK upgraded, a
      // mount over a path), and placement only trusts recent answers.
      long now = System.currentTimeMillis();
      Optional<KeyValue> knownKey =
          view.part(program, "fit/" + node).filter(kv -> kv.lease() == lease);
      Optional<NodeFit> known = knownKey.map(kv -> ClusterJson.read(kv.value(), NodeFit.class));
      if (known.isPresent()
          && known.get().specRevision() == spec.modRevision()
          && now - known.get().answeredAt() < NodeFit.RENEW_MILLIS) {
        continue;
      }
      ClusterProgram wanted = ClusterJson.read(spec.value(), ClusterProgram.class);
      Fit fit =
          wanted.requirements() == null
              ? new Fit(false, "the program was submitted without its requirements")
              : FitCheck.evaluate(wanted.requirements(), facts.get(), fingerprints);
      store.put(
          ClusterKeys.fit(program, node),
          ClusterJson.write(new NodeFit(fit.fits(), fit.why(), spec.modRevision(), now)),
          lease);
    }
  }
}
