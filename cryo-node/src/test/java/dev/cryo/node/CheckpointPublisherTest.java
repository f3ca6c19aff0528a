package dev.cryo.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckpointPublisherTest {
  private final TestCluster cluster = new TestCluster();
  private final CheckpointPublisher publisher =
      new CheckpointPublisher(
          cluster.store, "cryo-a", new ClusterEvents(cluster.store, "cryo-a", false));

  @Test
  void publishesWhileTheNodeOwnsTheProgramInTheSameEpoch() {
    long a = cluster.join("cryo-a");
    cluster.submit("app", null);
    long epoch = cluster.own("app", "cryo-a", a);

    boolean published = publisher.publish("app", epoch, "app-0001");

    assertThat(published).as("cryo-a owns app in epoch %d", epoch).isTrue();
    assertThat(cluster.view().checkpoint("app"))
        .as("the published checkpoint names the checkpoint, the node and the epoch")
        .hasValueSatisfying(
            p -> {
              assertThat(p.name()).isEqualTo("app-0001");
              assertThat(p.node()).isEqualTo("cryo-a");
              assertThat(p.epoch()).isEqualTo(epoch);
            });
    assertThat(cluster.events("app", "published")).as("a published event").hasSize(1);
  }

  @Test
  void doesNotPublishOnceTheOwnerKeyWasCreatedAgainInANewEpoch() {
    long a = cluster.join("cryo-a");
    cluster.submit("app", null);
    long epoch = cluster.own("app", "cryo-a", a);
    publisher.publish("app", epoch, "app-0001");
    // The lease ran out and the program was placed on cryo-a again: a new epoch.
    cluster.store.expire(a);
    long again = cluster.join("cryo-a");
    cluster.own("app", "cryo-a", again);

    boolean published = publisher.publish("app", epoch, "app-0002");

    assertThat(published).as("app-0002 was taken in the epoch that ended").isFalse();
    assertThat(cluster.view().checkpoint("app").map(PublishedCheckpoint::name))
        .as("the checkpoint published in the old epoch stays")
        .contains("app-0001");
    assertThat(cluster.events("app", "not-published"))
        .as("the event says it was not published, and why")
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains("app-0002")
                    .contains("cryo-a no longer owns the program"));
  }

  @Test
  void doesNotPublishWhileAnotherNodeHoldsTheProgram() {
    cluster.join("cryo-a");
    long b = cluster.join("cryo-b");
    cluster.submit("app", null);
    long epochOfB = cluster.own("app", "cryo-b", b);

    assertThat(publisher.publish("app", epochOfB, "app-0001"))
        .as("cryo-b owns app, even in the epoch given")
        .isFalse();
    assertThat(cluster.view().checkpoint("app")).as("nothing published").isEmpty();
    assertThat(cluster.events("app", "not-published")).as("a not-published event").hasSize(1);
  }

  @Test
  void doesNotPublishWhenTheProgramHasNoOwner() {
    long a = cluster.join("cryo-a");
    cluster.submit("app", null);
    long epoch = cluster.own("app", "cryo-a", a);
    cluster.store.expire(a);

    assertThat(publisher.publish("app", epoch, "app-0001"))
        .as("the owner key went with cryo-a's lease")
        .isFalse();
    assertThat(cluster.view().checkpoint("app")).as("nothing published").isEmpty();
  }
}
