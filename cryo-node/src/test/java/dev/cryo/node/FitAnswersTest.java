package dev.cryo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.node.placement.FileFingerprints;
import dev.cryo.node.placement.NodeFacts;
import dev.cryo.node.placement.ProgramRequirements;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FitAnswersTest {
  private final TestCluster cluster = new TestCluster();
  private final NodeFacts facts =
      new NodeFacts(
          "cryo-a",
          "6.1.0",
          "4.0",
          "Test CPU",
          List.of("fpu", "sse2"),
          1 << 30,
          1 << 29,
          List.of(),
          "198.18.0.1:7380",
          "2025-01-01T00:00:00Z");
  private final FitAnswers answers =
      new FitAnswers(cluster.store, "cryo-a", () -> facts, new FileFingerprints());

  private long submitNeeding(String cpuFlag) {
    ClusterProgram base = TestCluster.program("app", null);
    ClusterProgram needing =
        new ClusterProgram(
            base.name(),
            base.command(),
            base.workingDirectory(),
            base.environment(),
            base.address(),
            base.everyMillis(),
            base.keep(),
            new ProgramRequirements(new TreeMap<>(Map.of()), List.of(cpuFlag), null),
            base.submittedFrom(),
            base.submittedAt());
    return cluster.store.put(ClusterKeys.spec("app"), ClusterJson.write(needing), Lease.NONE);
  }

  private NodeFit answer() {
    KeyValue kv = cluster.store.get(ClusterKeys.fit("app", "cryo-a")).orElseThrow();
    return ClusterJson.read(kv.value(), NodeFit.class);
  }

  @Test
  void answersOncePerSpecRevisionUnderTheNodesLease() {
    long lease = cluster.join("cryo-a");
    long spec = submitNeeding("sse2");

    answers.answer(cluster.view(), lease);
    long after = cluster.store.revision();
    answers.answer(cluster.view(), lease);

    assertThat(answer())
        .as("cryo-a fits app's spec")
        .usingRecursiveComparison()
        .ignoringFields("answeredAt")
        .isEqualTo(new NodeFit(true, "", spec, 0));
    assertThat(cluster.store.get(ClusterKeys.fit("app", "cryo-a")).map(KeyValue::lease))
        .as("the answer lives under the node's lease")
        .contains(lease);
    assertThat(cluster.store.revision())
        .as("an answer already given is not written again")
        .isEqualTo(after);
  }

  @Test
  void answersAgainWhenTheSpecChanges() {
    long lease = cluster.join("cryo-a");
    submitNeeding("sse2");
    answers.answer(cluster.view(), lease);
    long spec = submitNeeding("avx512f");

    answers.answer(cluster.view(), lease);

    assertThat(answer())
        .as("the answer for the new spec says why not")
        .usingRecursiveComparison()
        .ignoringFields("answeredAt")
        .isEqualTo(new NodeFit(false, "the CPU here lacks avx512f", spec, 0));
  }

  @Test
  void doesNotAnswerForAProgramThatHasAnOwnerOrWasAskedToStop() {
    long lease = cluster.join("cryo-a");
    submitNeeding("sse2");
    cluster.store.put(ClusterKeys.stop("app"), "requested", Lease.NONE);

    answers.answer(cluster.view(), lease);

    assertThat(cluster.store.get(ClusterKeys.fit("app", "cryo-a")))
        .as("no answer for a stopped program")
        .isEmpty();
  }
}
