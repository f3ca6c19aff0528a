package dev.cryo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.supervisor.OwnershipFence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipTest {
  @TempDir Path stateDir;
  private final TestCluster cluster = new TestCluster();

  private Membership membership() {
    return new Membership(cluster.store, "cryo-a", TestCluster.TTL, stateDir);
  }

  private long keptLease() throws IOException {
    return Long.parseLong(Files.readString(stateDir.resolve("lease")).trim());
  }

  private static long deadline(Path fence) throws IOException {
    return Long.parseLong(Files.readString(fence).trim());
  }

  @Test
  void joinGrantsANewLeaseAndKeepsItsIdOnDiskWhenNoneIsKept() throws Exception {
    Membership membership = membership();

    assertThat(membership.join()).as("no lease was kept to take up").isFalse();

    assertThat(cluster.store.hasLease(membership.lease())).as("a lease was granted").isTrue();
    assertThat(keptLease()).as("the lease's id is kept on disk").isEqualTo(membership.lease());
    assertThat(OwnershipFence.expired(membership.fence()))
        .as("the new lease's fence is set")
        .isFalse();
  }

  @Test
  void joinTakesUpTheLeaseKeptOnDiskWhileTheStoreStillHasIt() throws Exception {
    Membership before = membership();
    before.join();
    long lease = before.lease();

    Membership restarted = membership();

    assertThat(restarted.join()).as("the kept lease still lives: it is taken up").isTrue();
    assertThat(restarted.lease()).as("the lease taken up").isEqualTo(lease);
    assertThat(OwnershipFence.expired(restarted.fence()))
        .as("the fence of the lease taken up is extended")
        .isFalse();
  }

  @Test
  void joinGrantsANewLeaseWhenTheKeptOneIsGone() throws Exception {
    Membership before = membership();
    before.join();
    long old = before.lease();
    cluster.store.expire(old);

    Membership restarted = membership();

    assertThat(restarted.join()).as("the kept lease expired").isFalse();
    assertThat(restarted.lease()).as("a new lease").isNotEqualTo(old);
    assertThat(keptLease()).as("the new lease is kept on disk").isEqualTo(restarted.lease());
    assertThat(restarted.fence())
        .as("each lease has a fence of its own")
        .isNotEqualTo(before.fence());
  }

  @Test
  void renewReturnsFalseOnceTheLeaseIsGone() throws Exception {
    Membership membership = membership();
    membership.join();
    assertThat(membership.renew()).as("the lease lives").isTrue();

    cluster.store.expire(membership.lease());

    assertThat(membership.renew()).as("the lease expired").isFalse();
  }

  @Test
  void whileRenewalsSucceedTheFenceIsExtendedAndNotExpired() throws Exception {
    Membership membership = membership();
    membership.join();
    long first = deadline(membership.fence());

    assertThat(membership.renew()).as("renewed").isTrue();
    long second = deadline(membership.fence());
    assertThat(membership.renew()).as("renewed again").isTrue();
    long third = deadline(membership.fence());

    assertThat(second - first).as("the first renewal extended the fence").isPositive();
    assertThat(third - second).as("the second renewal extended the fence").isPositive();
    assertThat(OwnershipFence.expired(membership.fence())).as("the fence holds").isFalse();
    assertThat(membership.fenceExpired()).as("the node counts its lease as held").isFalse();
  }

  @Test
  void aRenewalThatFindsTheStoreAwayKeepsTheLeaseButDoesNotExtendTheFence() throws Exception {
    Membership membership = membership();
    membership.join();
    long before = deadline(membership.fence());
    cluster.store.unavailable(true);

    assertThat(membership.renew()).as("the lease is not known to be lost").isTrue();

    assertThat(deadline(membership.fence()))
        .as("the fence is not extended without a renewal")
        .isEqualTo(before);
  }

  @Test
  void registerPublishesTheNodeUnderItsLeaseAndUpdatesItLater() throws Exception {
    Membership membership = membership();
    membership.join();

    membership.register("{\"v\":1}");
    membership.register("{\"v\":2}");

    KeyValue key = cluster.store.get(ClusterKeys.node("cryo-a")).orElseThrow();
    assertThat(key.value()).as("the newest facts").isEqualTo("{\"v\":2}");
    assertThat(key.lease())
        .as("the node key is under the node's lease")
        .isEqualTo(membership.lease());
  }

  @Test
  void registerRefusesANameHeldByAnotherLiveLease() throws Exception {
    long other = cluster.join("cryo-a");
    Membership membership = membership();
    membership.join();

    assertThatThrownBy(() -> membership.register("{}"))
        .as("another live node is named cryo-a")
        .isInstanceOf(NodeNameTakenException.class)
        .hasMessageContaining("cryo-a");
    assertThat(cluster.store.get(ClusterKeys.node("cryo-a")).map(KeyValue::lease))
        .as("the other node keeps its key")
        .contains(other);
  }

  @Test
  void registerTakesTheNameOnceTheOtherLeaseExpired() throws Exception {
    long other = cluster.join("cryo-a");
    Membership membership = membership();
    membership.join();
    cluster.store.expire(other);

    membership.register("{}");

    assertThat(cluster.store.get(ClusterKeys.node("cryo-a")).map(KeyValue::lease))
        .as("the name is free again")
        .contains(membership.lease());
  }

  @Test
  void leaveRevokesTheLeaseAndWithItEverythingUnderIt() throws Exception {
    Membership membership = membership();
    membership.join();
    membership.register("{}");

    membership.leave();

    assertThat(cluster.store.hasLease(membership.lease())).as("the lease is revoked").isFalse();
    assertThat(cluster.store.get(ClusterKeys.node("cryo-a"))).as("the node key is gone").isEmpty();
  }

  @Test
  void removeOldFencesKeepsOnlyTheCurrentLeasesFence() throws Exception {
    Membership before = membership();
    before.join();
    Path oldFence = before.fence();
    cluster.store.expire(before.lease());
    Membership now = membership();
    now.join();

    now.removeOldFences();

    assertThat(oldFence).as("the fence of the lost lease").doesNotExist();
    assertThat(now.fence()).as("the fence of the current lease").exists();
  }
}
