package dev.cryo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.Compare.Operator;
import dev.cryo.cluster.store.Compare.Target;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationUnavailableException;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.TxnResult;
import dev.cryo.cluster.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake keeps etcd's semantics that the cluster's logic relies on. */
class FakeCoordinationStoreTest {
  private final FakeCoordinationStore store = new FakeCoordinationStore();

  private boolean holds(Compare compare) {
    return store.txn(List.of(compare), List.of(), List.of()).succeeded();
  }

  @Test
  void aMissingKeyComparesAsRevisionsVersionAndLeaseZero() {
    for (Target target :
        List.of(Target.CREATE_REVISION, Target.MOD_REVISION, Target.VERSION, Target.LEASE)) {
      assertThat(holds(new Compare("/k", target, Operator.EQUAL, null, 0)))
          .as("a missing key's %s is 0", target)
          .isTrue();
      assertThat(holds(new Compare("/k", target, Operator.GREATER, null, 0)))
          .as("a missing key's %s is not above 0", target)
          .isFalse();
    }
    assertThat(holds(Compare.absent("/k"))).as("absent holds for a missing key").isTrue();
    assertThat(holds(Compare.present("/k"))).as("present fails for a missing key").isFalse();
  }

  @Test
  void noValueComparisonHoldsForAMissingKey() {
    for (Operator operator : Operator.values()) {
      assertThat(holds(new Compare("/k", Target.VALUE, operator, "", 0)))
          .as("value %s on a missing key never holds", operator)
          .isFalse();
    }
  }

  @Test
  void everyOperatorComparesValuesAndNumbers() {
    store.put("/k", "b", Lease.NONE);
    long created = store.get("/k").orElseThrow().createRevision();
    assertThat(holds(Compare.valueIs("/k", "b"))).as("value equal").isTrue();
    assertThat(holds(new Compare("/k", Target.VALUE, Operator.NOT_EQUAL, "a", 0)))
        .as("value not equal")
        .isTrue();
    assertThat(holds(new Compare("/k", Target.VALUE, Operator.GREATER, "a", 0)))
        .as("value greater, bytewise")
        .isTrue();
    assertThat(holds(new Compare("/k", Target.VALUE, Operator.LESS, "c", 0)))
        .as("value less, bytewise")
        .isTrue();
    assertThat(holds(Compare.createdAt("/k", created))).as("create revision equal").isTrue();
    assertThat(holds(new Compare("/k", Target.MOD_REVISION, Operator.LESS, null, created + 1)))
        .as("mod revision less")
        .isTrue();
    assertThat(holds(new Compare("/k", Target.VERSION, Operator.NOT_EQUAL, null, 2)))
        .as("version not equal")
        .isTrue();
  }

  @Test
  void aKeyKeepsItsCreateRevisionUntilDeletedAndCountsItsVersions() {
    long first = store.put("/k", "1", Lease.NONE);
    long second = store.put("/k", "2", Lease.NONE);
    KeyValue kv = store.get("/k").orElseThrow();
    assertThat(second).as("each write is a new revision").isEqualTo(first + 1);
    assertThat(kv.createRevision()).as("create revision of a rewritten key").isEqualTo(first);
    assertThat(kv.modRevision()).as("mod revision of a rewritten key").isEqualTo(second);
    assertThat(kv.version()).as("version after two writes").isEqualTo(2);

    store.delete("/k");
    long third = store.put("/k", "3", Lease.NONE);
    KeyValue again = store.get("/k").orElseThrow();
    assertThat(again.createRevision()).as("a key created again has a new epoch").isEqualTo(third);
    assertThat(again.version()).as("version of a key created again").isEqualTo(1);
  }

  @Test
  void aTransactionIsOneRevisionAndAppliesTheBranchItsComparisonsChose() {
    long before = store.revision();
    TxnResult done =
        store.txn(
            List.of(Compare.absent("/a")),
            List.of(TxnOp.put("/a", "1"), TxnOp.put("/b", "2")),
            List.of(TxnOp.put("/c", "3")));
    assertThat(done.succeeded()).as("/a was absent").isTrue();
    assertThat(done.revision()).as("two puts in one transaction").isEqualTo(before + 1);
    assertThat(store.get("/b").orElseThrow().modRevision()).isEqualTo(done.revision());

    TxnResult failed =
        store.txn(
            List.of(Compare.absent("/a")),
            List.of(TxnOp.put("/a", "x")),
            List.of(TxnOp.put("/c", "3")));
    assertThat(failed.succeeded()).as("/a exists now").isFalse();
    assertThat(store.get("/a").orElseThrow().value())
        .as("success branch not applied")
        .isEqualTo("1");
    assertThat(store.get("/c")).as("failure branch applied").isPresent();

    long quiet = store.revision();
    store.txn(List.of(), List.of(TxnOp.delete("/missing")), List.of());
    assertThat(store.revision()).as("a transaction that changed nothing").isEqualTo(quiet);
  }

  @Test
  void aTransactionRefusesToPutUnderALeaseThatIsGone() {
    Lease lease = store.grant(Duration.ofSeconds(5));
    store.expire(lease.id());
    assertThatThrownBy(
            () -> store.txn(List.of(), List.of(TxnOp.put("/k", "v", lease.id())), List.of()))
        .as("etcd refuses a put under a lease not found")
        .isInstanceOf(CoordinationException.class);
    assertThat(store.get("/k")).as("nothing written").isEmpty();
  }

  @Test
  void aLeaseThatIsNotRenewedExpiresWithItsKeys() {
    Lease lease = store.grant(Duration.ofSeconds(6));
    store.put("/held", "v", lease.id());
    store.advance(Duration.ofSeconds(4));
    assertThat(store.keepAlive(lease.id())).as("renewed in time").contains(Duration.ofSeconds(6));
    store.advance(Duration.ofSeconds(4));
    assertThat(store.get("/held")).as("renewal postponed expiry").isPresent();
    store.advance(Duration.ofSeconds(2));
    assertThat(store.get("/held")).as("key of an expired lease").isEmpty();
    assertThat(store.keepAlive(lease.id())).as("renewing an expired lease").isEmpty();
  }

  @Test
  void rangeAndDeletePrefixTakeOnlyKeysUnderThePrefix() {
    store.put("/p/a", "1", Lease.NONE);
    store.put("/p/b", "2", Lease.NONE);
    store.put("/pq", "3", Lease.NONE);
    assertThat(store.range("/p/").keys()).extracting(KeyValue::key).containsExactly("/p/a", "/p/b");
    long before = store.revision();
    assertThat(store.deletePrefix("/p/")).as("deleted under /p/").isEqualTo(2);
    assertThat(store.revision()).as("one revision for the prefix").isEqualTo(before + 1);
    assertThat(store.get("/pq")).as("a key outside the prefix").isPresent();
  }

  @Test
  void aWatchReplaysAfterItsRevisionAndHearsDeletesOfExpiredLeases() {
    long from = store.put("/w/a", "1", Lease.NONE);
    store.put("/w/b", "2", Lease.NONE);
    Lease lease = store.grant(Duration.ofSeconds(3));
    store.put("/w/c", "3", lease.id());
    List<WatchEvent> seen = new ArrayList<>();
    store.watch("/w/", from, seen::add, e -> {});
    store.expire(lease.id());
    assertThat(seen)
        .extracting(e -> e.kind() + " " + e.keyValue().key())
        .as("events after the watch's revision, then the lease's delete")
        .containsExactly("PUT /w/b", "PUT /w/c", "DELETE /w/c");
  }

  @Test
  void anUnavailableStoreFailsEveryCallAndEndsItsWatches() {
    List<Exception> ends = new ArrayList<>();
    store.watch("/", 0, e -> {}, ends::add);
    store.unavailable(true);
    assertThatThrownBy(() -> store.get("/k"))
        .as("etcd away")
        .isInstanceOf(CoordinationUnavailableException.class);
    assertThatThrownBy(() -> store.keepAlive(1))
        .as("etcd away")
        .isInstanceOf(CoordinationUnavailableException.class);
    assertThat(ends).as("the watch ended with why").hasSize(1);
    store.unavailable(false);
    assertThat(store.get("/k")).as("back again").isEmpty();
  }
}
