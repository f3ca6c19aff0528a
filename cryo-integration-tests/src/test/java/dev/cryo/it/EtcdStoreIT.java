package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.cluster.etcd.EtcdStore;
import dev.cryo.cluster.etcd.WatchCompactedException;
import dev.cryo.cluster.pki.ClusterAuthority;
import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationAccessDeniedException;
import dev.cryo.cluster.store.CoordinationUnavailableException;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.Range;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.TxnResult;
import dev.cryo.cluster.store.Watch;
import dev.cryo.cluster.store.WatchEvent;
import dev.cryo.cluster.tls.ClusterTls;
import dev.cryo.testkit.EtcdCluster;
import dev.cryo.testkit.Processes;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EtcdStore} against real etcd members with mutual TLS (EtcdCluster): every operation of the
 * coordination store, leases that expire, watches, failover to another member, and clients the
 * cluster must refuse.
 */
class EtcdStoreIT {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path tmp;
  private static EtcdCluster single;

  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @BeforeAll
  static void startEtcd() throws Exception {
    single = EtcdCluster.startIn(tmp.resolve("single"), 1);
  }

  @AfterAll
  static void stopEtcd() {
    if (single != null) {
      single.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    Collections.reverse(closeAfter);
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closeAfter.add(closeable);
    return closeable;
  }

  private EtcdStore store(EtcdCluster cluster) {
    return closing(EtcdStore.connect(cluster.endpoints(), Optional.of(cluster.clientTls())));
  }

  /** A prefix no other test uses. */
  private static String prefix() {
    return "/it/" + PREFIXES.incrementAndGet() + "/";
  }

  @Test
  void putGetRangeAndDelete() {
    EtcdStore store = store(single);
    String p = prefix();
    long first = store.put(p + "b", "2", Lease.NONE);
    store.put(p + "a", "1", Lease.NONE);
    store.put(p + "c/x", "3", Lease.NONE);
    store.put(p.substring(0, p.length() - 1) + "0", "outside", Lease.NONE);

    Optional<KeyValue> b = store.get(p + "b");
    assertThat(b).as("get of a key put").isPresent();
    assertThat(b.get().value()).as("its value").isEqualTo("2");
    assertThat(b.get().createRevision()).as("its create revision").isEqualTo(first);
    assertThat(store.get(p + "nope")).as("get of a key never put").isEmpty();

    Range range = store.range(p);
    assertThat(range.keys())
        .as("keys under the prefix, in key order")
        .extracting(KeyValue::key)
        .containsExactly(p + "a", p + "b", p + "c/x");
    assertThat(range.revision()).as("revision read at").isGreaterThanOrEqualTo(first);

    assertThat(store.delete(p + "a")).as("delete of an existing key").isTrue();
    assertThat(store.delete(p + "a")).as("delete of a deleted key").isFalse();
    assertThat(store.deletePrefix(p)).as("keys deleted under the prefix").isEqualTo(2);
    assertThat(store.range(p).keys()).as("keys left under the prefix").isEmpty();
    assertThat(store.get(p.substring(0, p.length() - 1) + "0"))
        .as("a key just past the prefix")
        .isPresent();
  }

  @Test
  void aTransactionAppliesOneBranchOrTheOther() {
    EtcdStore store = store(single);
    String p = prefix();
    store.put(p + "owner", "node-a", Lease.NONE);

    TxnResult held =
        store.txn(
            List.of(Compare.valueIs(p + "owner", "node-a")),
            List.of(TxnOp.put(p + "checkpoint", "c1")),
            List.of(TxnOp.put(p + "refused", "yes")));
    assertThat(held.succeeded()).as("txn whose comparison holds").isTrue();
    assertThat(store.get(p + "checkpoint").map(KeyValue::value))
        .as("the success branch's write")
        .contains("c1");

    TxnResult failed =
        store.txn(
            List.of(Compare.valueIs(p + "owner", "node-b")),
            List.of(TxnOp.put(p + "checkpoint", "c2")),
            List.of(TxnOp.put(p + "refused", "yes"), TxnOp.delete(p + "owner")));
    assertThat(failed.succeeded()).as("txn whose comparison fails").isFalse();
    assertThat(failed.revision())
        .as("revision after the failure branch")
        .isGreaterThan(held.revision());
    assertThat(store.get(p + "checkpoint").map(KeyValue::value))
        .as("the key only the success branch writes")
        .contains("c1");
    assertThat(store.get(p + "refused").map(KeyValue::value))
        .as("the failure branch's write")
        .contains("yes");
    assertThat(store.get(p + "owner")).as("the failure branch's delete").isEmpty();
  }

  @Test
  void anEpochComparisonFailsOnceTheKeyWasCreatedAgain() {
    EtcdStore store = store(single);
    String p = prefix();
    long epoch = store.put(p + "owner", "node-a", Lease.NONE);
    store.delete(p + "owner");
    store.put(p + "owner", "node-a", Lease.NONE);
    TxnResult result =
        store.txn(
            List.of(Compare.valueIs(p + "owner", "node-a"), Compare.createdAt(p + "owner", epoch)),
            List.of(TxnOp.put(p + "checkpoint", "stale")),
            List.of());
    assertThat(result.succeeded()).as("txn of an owner from an earlier epoch").isFalse();
  }

  @Test
  void ofTwoCreateIfAbsentTransactionsOneWins() throws Exception {
    EtcdStore store = store(single);
    String key = prefix() + "address";
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<TxnResult>> results = new ArrayList<>();
      for (String program : List.of("one", "two")) {
        Callable<TxnResult> claim =
            () -> {
              start.await();
              return store.txn(
                  List.of(Compare.absent(key)), List.of(TxnOp.put(key, program)), List.of());
            };
        results.add(threads.submit(claim));
      }
      start.countDown();
      boolean first = results.get(0).get(30, TimeUnit.SECONDS).succeeded();
      boolean second = results.get(1).get(30, TimeUnit.SECONDS).succeeded();
      assertThat(first ^ second)
          .as("exactly one of two claims succeeded (%s, %s)", first, second)
          .isTrue();
      assertThat(store.get(key).map(KeyValue::value))
          .as("the address's holder")
          .contains(first ? "one" : "two");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aLeaseKeptAliveKeepsItsKeysAndOneLeftAloneDeletesThemAsAWatchSees() throws Exception {
    EtcdStore store = store(single);
    String p = prefix();
    Lease lease = store.grant(Duration.ofSeconds(2));
    assertThat(lease.ttl()).as("granted TTL").isEqualTo(Duration.ofSeconds(2));
    store.put(p + "node", "facts", lease.id());
    assertThat(store.get(p + "node").map(KeyValue::lease))
        .as("lease of the key")
        .contains(lease.id());
    long revision = store.range(p).revision();

    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Exception> ended = new CompletableFuture<>();
    closing(store.watch(p, revision, events::add, ended::complete));

    for (int i = 0; i < 3; i++) {
      assertThat(store.keepAlive(lease.id()))
          .as("keep-alive %d", i)
          .contains(Duration.ofSeconds(2));
      Thread.sleep(1000);
    }
    assertThat(store.get(p + "node")).as("the key while its lease was kept alive").isPresent();

    Processes.awaitTrue(
        "the lease's key to be deleted, as the watch sees it",
        WAIT,
        () -> events.stream().anyMatch(e -> e.kind() == WatchEvent.Kind.DELETE));
    assertThat(events)
        .as("events of the prefix")
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).as("kind").isEqualTo(WatchEvent.Kind.DELETE);
              assertThat(e.keyValue().key()).as("key").isEqualTo(p + "node");
            });
    assertThat(store.get(p + "node")).as("the key after its lease expired").isEmpty();
    assertThat(store.keepAlive(lease.id())).as("keep-alive of an expired lease").isEmpty();
    assertThat(ended).as("the watch (not ended)").isNotDone();
  }

  @Test
  void revokingALeaseDeletesItsKeysAtOnce() {
    EtcdStore store = store(single);
    String p = prefix();
    Lease lease = store.grant(Duration.ofSeconds(60));
    store.put(p + "a", "1", lease.id());
    store.txn(List.of(), List.of(TxnOp.put(p + "b", "2", lease.id())), List.of());
    store.revoke(lease.id());
    assertThat(store.range(p).keys()).as("keys under the revoked lease").isEmpty();
    assertThat(store.keepAlive(lease.id())).as("keep-alive of a revoked lease").isEmpty();
    store.revoke(lease.id());
  }

  @Test
  void aWatchFromARevisionSeesEveryLaterChangeInOrder() throws Exception {
    EtcdStore store = store(single);
    String p = prefix();
    long from = store.put(p + "x", "0", Lease.NONE);
    store.put(p + "y", "1", Lease.NONE);
    store.put(p + "x", "2", Lease.NONE);
    store.delete(p + "y");

    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Exception> ended = new CompletableFuture<>();
    Watch watch = closing(store.watch(p, from, events::add, ended::complete));
    store.put(p + "z", "3", Lease.NONE);
    store.put(prefix() + "elsewhere", "-", Lease.NONE);

    Processes.awaitTrue("four events", WAIT, () -> events.size() >= 4);
    assertThat(events)
        .as("events after revision %d", from)
        .extracting(e -> e.kind() + " " + e.keyValue().key() + "=" + e.keyValue().value())
        .containsExactly(
            "PUT " + p + "y=1", "PUT " + p + "x=2", "DELETE " + p + "y=", "PUT " + p + "z=3");
    assertThat(events)
        .as("mod revisions")
        .extracting(e -> e.keyValue().modRevision())
        .isSorted()
        .allSatisfy(r -> assertThat(r).as("mod revision").isGreaterThan(from));

    watch.close();
    assertThat(ended.get(10, TimeUnit.SECONDS))
        .as("what onEnd hears when the watch is closed")
        .isNull();
  }

  @Test
  void aWatchFromACompactedRevisionReportsTheCompaction() throws Exception {
    EtcdStore store = store(single);
    String p = prefix();
    long old = store.put(p + "x", "0", Lease.NONE);
    long now = store.put(p + "x", "1", Lease.NONE);
    compact(single, now);

    CompletableFuture<Exception> ended = new CompletableFuture<>();
    closing(store.watch(p, old - 1, e -> {}, ended::complete));
    assertThat(ended.get(10, TimeUnit.SECONDS))
        .as("why the watch from a compacted revision ended")
        .isInstanceOf(WatchCompactedException.class)
        .hasMessageContaining("compacted");
  }

  @Test
  void killingTheMemberInUseFailsOverWithoutAnErrorToTheCaller() throws Exception {
    try (EtcdCluster three = EtcdCluster.startIn(tmp.resolve("three"), 3)) {
      EtcdStore store = store(three);
      String p = prefix();
      store.put(p + "before", "1", Lease.NONE);
      int inUse = three.memberAt(store.currentEndpoint());

      CompletableFuture<Exception> watchEnded = new CompletableFuture<>();
      closing(store.watch(p, store.range(p).revision(), e -> {}, watchEnded::complete));

      three.kill(inUse);
      store.put(p + "after", "2", Lease.NONE);
      assertThat(store.get(p + "before").map(KeyValue::value))
          .as("read after the kill")
          .contains("1");
      assertThat(store.range(p).keys()).as("keys after the kill").hasSize(2);
      assertThat(three.memberAt(store.currentEndpoint()))
          .as("member in use after the kill")
          .isNotEqualTo(inUse);
      assertThat(watchEnded.get(10, TimeUnit.SECONDS))
          .as("why the watch on the killed member ended")
          .isInstanceOf(CoordinationUnavailableException.class);

      three.restart(inUse);
      assertThat(three.isHealthy(inUse)).as("the restarted member's health").isTrue();
    }
  }

  @Test
  void noMemberAnsweringIsUnavailableAndNamesTheEndpoints() throws Exception {
    URI nowhere = URI.create("https://127.0.0.1:" + Processes.freePort());
    EtcdStore store = closing(EtcdStore.connect(List.of(nowhere), Optional.of(single.clientTls())));
    assertThatThrownBy(() -> store.get("/x"))
        .as("a request to an endpoint where nothing listens")
        .isInstanceOf(CoordinationUnavailableException.class)
        .hasMessageContaining(nowhere.toString());
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    EtcdStore store =
        closing(
            new EtcdStore(
                single.endpoints(),
                trustingOnly(single.caFile()),
                single.clientTls().clientParameters(),
                EtcdStore.DEFAULT_TIMEOUT));
    assertThatThrownBy(() -> store.get("/x"))
        .as("a request without a client certificate")
        .isInstanceOf(CoordinationAccessDeniedException.class)
        .hasMessageContaining(single.endpoint(0).toString())
        .hasMessageContaining("refused this client's certificate");
  }

  @Test
  void aClientWithACertificateOfAnotherCaIsRefused() throws Exception {
    Path other = tmp.resolve("other-ca");
    Path[] stranger = ClusterAuthority.create(other).issue("stranger", List.of(), List.of());
    ClusterTls trustsUsPresentsOther = ClusterTls.load(single.caFile(), stranger[0], stranger[1]);
    EtcdStore store =
        closing(EtcdStore.connect(single.endpoints(), Optional.of(trustsUsPresentsOther)));
    assertThatThrownBy(() -> store.put("/x", "1", Lease.NONE))
        .as("a request with a certificate of another CA")
        .isInstanceOf(CoordinationAccessDeniedException.class)
        .hasMessageContaining("refused this client's certificate");

    ClusterTls trustsOther = ClusterTls.load(other.resolve("ca.pem"), stranger[0], stranger[1]);
    EtcdStore blind = closing(EtcdStore.connect(single.endpoints(), Optional.of(trustsOther)));
    assertThatThrownBy(() -> blind.get("/x"))
        .as("a request to a member the client's CA did not sign")
        .isInstanceOf(CoordinationAccessDeniedException.class)
        .hasMessageContaining("cluster CA did not sign");
  }

  @Test
  void curlWithoutAClientCertificateIsRefusedAndWithOneServed() throws Exception {
    Path pki = single.pkiDirectory();
    String url = single.endpoint(0) + "/v3/kv/range";
    List<String> common =
        List.of(
            "curl",
            "-sS",
            "--max-time",
            "5",
            "--cacert",
            single.caFile().toString(),
            "-d",
            "{\"key\":\"AA==\"}");
    Curl without = curl(common, url);
    assertThat(without.exit())
        .as("curl's exit code without a client certificate (%s)", without.output())
        .isNotZero();
    assertThat(without.output())
        .as("curl's output without a client certificate")
        .doesNotContain("\"header\"");

    List<String> withCert = new ArrayList<>(common);
    withCert.addAll(
        List.of(
            "--cert",
            pki.resolve(EtcdCluster.CLIENT + ".pem").toString(),
            "--key",
            pki.resolve(EtcdCluster.CLIENT + "-key.pem").toString()));
    Curl with = curl(withCert, url);
    assertThat(with.exit())
        .as("curl's exit code with the client certificate (%s)", with.output())
        .isZero();
    assertThat(with.output())
        .as("curl's output with the client certificate")
        .contains("\"header\"");
  }

  private record Curl(int exit, String output) {}

  private static Curl curl(List<String> options, String url) throws Exception {
    List<String> command = new ArrayList<>(options);
    command.add(url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("curl ended").isTrue();
    return new Curl(process.exitValue(), output.strip());
  }

  /** A TLS context that trusts the cluster CA and has no certificate to present. */
  private static SSLContext trustingOnly(Path ca) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      trusted.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /**
   * Compacts the store's history up to {@code revision}, as an operator (or etcd's auto-compaction)
   * does.
   */
  private static void compact(EtcdCluster cluster, long revision) throws Exception {
    ClusterTls tls = cluster.clientTls();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(tls.sslContext())
            .sslParameters(tls.clientParameters())
            .build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(cluster.endpoint(0).resolve("/v3/kv/compaction"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"revision\":\"" + revision + "\",\"physical\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("compaction's status (%s)", response.body())
        .isEqualTo(200);
  }
}
