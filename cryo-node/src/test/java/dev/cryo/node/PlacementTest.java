package dev.cryo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private final TestCluster cluster = new TestCluster();
  private final Placement placement =
      new Placement(cluster.store, new ClusterEvents(cluster.store, "cryo-a", false));

  @Test
  void placesAProgramWithNoOwnerOnTheLiveFittingNodeThatOwnsTheFewest() {
    long a = cluster.join("cryo-a");
    long b = cluster.join("cryo-b");
    long c = cluster.join("cryo-c");
    cluster.submit("busy-1", null);
    cluster.submit("busy-2", null);
    cluster.submit("busy-3", null);
    cluster.own("busy-1", "cryo-a", a);
    cluster.own("busy-2", "cryo-a", a);
    cluster.own("busy-3", "cryo-b", b);
    long spec = cluster.submit("app", null);
    cluster.fit("app", "cryo-a", a, true, null, spec);
    cluster.fit("app", "cryo-b", b, true, null, spec);
    cluster.fit("app", "cryo-c", c, false, "no /opt/app.jar here", spec);
    // An answer left by a node that is no longer live (no node key): not a candidate.
    cluster.fit("app", "cryo-gone", Lease.NONE, true, null, spec);

    placement.place(cluster.view());

    assertThat(cluster.store.get(ClusterKeys.owner("app")).map(KeyValue::value))
        .as("cryo-b fits and owns fewer programs than cryo-a; cryo-c does not fit")
        .contains("cryo-b");
    assertThat(cluster.events("app", "placed"))
        .as("one placed event")
        .singleElement()
        .satisfies(e -> assertThat(e.message()).as("the event names the node").contains("cryo-b"));
  }

  @Test
  void theOwnerKeyLivesUnderTheChosenNodesLease() {
    long b = cluster.join("cryo-b");
    long spec = cluster.submit("app", null);
    cluster.fit("app", "cryo-b", b, true, null, spec);

    placement.place(cluster.view());

    assertThat(cluster.store.get(ClusterKeys.owner("app")).map(KeyValue::lease))
        .as("the owner key is held under cryo-b's lease")
        .contains(b);
    cluster.store.expire(b);
    assertThat(cluster.store.get(ClusterKeys.owner("app")))
        .as("the ownership ends with cryo-b's lease")
        .isEmpty();
  }

  @Test
  void waitsWhenNoNodeFitsWithOneEventNamingEachNodesReason() {
    long a = cluster.join("cryo-a");
    long b = cluster.join("cryo-b");
    long spec = cluster.submit("app", null);
    cluster.fit("app", "cryo-a", a, false, "no /opt/app.jar here", spec);
    cluster.fit("app", "cryo-b", b, false, "CRIU 3.17 here, 4.0 needed", spec);

    placement.place(cluster.view());
    placement.place(cluster.view());

    assertThat(cluster.store.get(ClusterKeys.owner("app"))).as("no node fits").isEmpty();
    assertThat(cluster.events("app", "waiting"))
        .as("one waiting event while the reasons stay the same")
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .as("the event names each node's reason")
                    .contains("cryo-a: no /opt/app.jar here")
                    .contains("cryo-b: CRIU 3.17 here, 4.0 needed"));

    cluster.fit("app", "cryo-b", b, false, "not enough memory", spec);
    placement.place(cluster.view());

    assertThat(cluster.events("app", "waiting"))
        .as("a new waiting event once a reason changed")
        .hasSize(2);
  }

  @Test
  void doesNotCountAnAnswerForAnOlderSpecRevision() {
    long a = cluster.join("cryo-a");
    long old = cluster.submit("app", null);
    cluster.fit("app", "cryo-a", a, true, null, old);
    cluster.submit("app", "198.18.1.10");

    placement.place(cluster.view());

    assertThat(cluster.store.get(ClusterKeys.owner("app")))
        .as("cryo-a answered for the spec before it changed")
        .isEmpty();
    assertThat(cluster.events("app", "waiting"))
        .as("no waiting event before every live node answered the current spec")
        .isEmpty();
  }

  @Test
  void doesNotPlaceAStoppedProgram() {
    long a = cluster.join("cryo-a");
    long spec = cluster.submit("app", null);
    cluster.fit("app", "cryo-a", a, true, null, spec);
    cluster.store.put(ClusterKeys.stop("app"), "requested", Lease.NONE);

    placement.place(cluster.view());

    assertThat(cluster.store.get(ClusterKeys.owner("app")))
        .as("a program asked to stop is not placed")
        .isEmpty();
  }

  @Test
  void placesNothingWhenItsTransactionLostARace() {
    long a = cluster.join("cryo-a");
    long c = cluster.join("cryo-c");
    long spec = cluster.submit("app", null);
    cluster.fit("app", "cryo-a", a, true, null, spec);
    ClusterView seen = cluster.view();
    // Between the view and the placement another leader placed it.
    long epoch = cluster.own("app", "cryo-c", c);

    placement.place(seen);

    KeyValue owner = cluster.store.get(ClusterKeys.owner("app")).orElseThrow();
    assertThat(owner.value()).as("the owner placed meanwhile stays").isEqualTo("cryo-c");
    assertThat(owner.createRevision()).as("the ownership epoch is untouched").isEqualTo(epoch);
    assertThat(cluster.events("app", "placed")).as("no placed event").isEmpty();
  }

  @Test
  void placesNothingOnANodeThatJoinedAgainSinceTheView() {
    long a = cluster.join("cryo-a");
    long spec = cluster.submit("app", null);
    cluster.fit("app", "cryo-a", a, true, null, spec);
    ClusterView seen = cluster.view();
    cluster.store.expire(a);
    cluster.join("cryo-a");

    placement.place(seen);

    assertThat(cluster.store.get(ClusterKeys.owner("app")))
        .as("the lease cryo-a was seen with is gone")
        .isEmpty();
  }
}
