package dev.cryo.cluster.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.Range;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.TxnResult;
import dev.cryo.cluster.store.Watch;
import dev.cryo.cluster.store.WatchEvent;
import dev.cryo.cluster.tls.ClusterTls;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The coordination store on etcd 3.4, through the JSON gateway every etcd member serves on its
 * client URL: plain HTTP from the JDK, no gRPC stack. Requests go to one member and move on to the
 * next when it does not answer within {@link #DEFAULT_TIMEOUT}; with TLS, this client presents the
 * cluster certificate of {@link ClusterTls} and trusts only members the cluster CA signed.
 */
public final class EtcdStore implements CoordinationStore {
  /** How long one member has to answer one request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  private final EtcdEndpoints endpoints;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();

  /**
   * A store on the etcd members at {@code endpoints} ({@code https://HOST:PORT} with {@code tls},
   * {@code http://HOST:PORT} without).
   */
  public static EtcdStore connect(List<URI> endpoints, Optional<ClusterTls> tls) {
    requireSchemes(endpoints, tls.isPresent());
    return new EtcdStore(
        endpoints,
        tls.map(ClusterTls::sslContext).orElse(null),
        tls.map(ClusterTls::clientParameters).orElse(null),
        DEFAULT_TIMEOUT);
  }

  /**
   * A store whose TLS is set up by the caller ({@code sslContext} null for plain HTTP), such as a
   * client that trusts the cluster CA but presents no certificate.
   */
  public EtcdStore(
      List<URI> endpoints, SSLContext sslContext, SSLParameters sslParameters, Duration timeout) {
    this.endpoints = new EtcdEndpoints(endpoints, sslContext, sslParameters, timeout);
  }

  private static void requireSchemes(List<URI> endpoints, boolean tls) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given; name them with --etcd");
    }
    String scheme = tls ? "https" : "http";
    for (URI endpoint : endpoints) {
      if (!scheme.equals(endpoint.getScheme()) || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "etcd endpoint '"
                + endpoint
                + "' is not "
                + scheme
                + "://HOST:PORT"
                + (tls
                    ? ""
                    : "; https endpoints need the cluster's certificates (--tls-ca, --tls-cert,"
                        + " --tls-key)"));
      }
    }
  }

  /** The members this store talks to. */
  public List<URI> endpoints() {
    return endpoints.endpoints();
  }

  /** The member requests go to first: the one that answered last. */
  public URI currentEndpoint() {
    return endpoints.current();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    JsonNode response = endpoints.post("/v3/kv/range", EtcdJson.keyRequest(key), true);
    return EtcdJson.range(response).keys().stream().findFirst();
  }

  @Override
  public Range range(String prefix) {
    return EtcdJson.range(endpoints.post("/v3/kv/range", EtcdJson.prefixRequest(prefix), true));
  }

  @Override
  public long put(String key, String value, long lease) {
    try {
      return EtcdJson.revision(
          endpoints.post("/v3/kv/put", EtcdJson.putRequest(key, value, lease), true));
    } catch (EtcdError.LeaseNotFoundException e) {
      throw new CoordinationException(
          "cannot put " + key + " under lease " + lease + ": the lease has expired or was revoked",
          e);
    }
  }

  @Override
  public boolean delete(String key) {
    return EtcdJson.deleted(endpoints.post("/v3/kv/deleterange", EtcdJson.keyRequest(key), true))
        > 0;
  }

  @Override
  public long deletePrefix(String prefix) {
    return EtcdJson.deleted(
        endpoints.post("/v3/kv/deleterange", EtcdJson.prefixRequest(prefix), true));
  }

  @Override
  public TxnResult txn(List<Compare> compares, List<TxnOp> onSuccess, List<TxnOp> onFailure) {
    try {
      return EtcdJson.txn(
          endpoints.post("/v3/kv/txn", EtcdJson.txnRequest(compares, onSuccess, onFailure), false));
    } catch (EtcdError.LeaseNotFoundException e) {
      throw new CoordinationException(
          "a transaction put a key under a lease that has expired or was revoked", e);
    }
  }

  @Override
  public Lease grant(Duration ttl) {
    JsonNode response = endpoints.post("/v3/lease/grant", EtcdJson.grantRequest(ttl), true);
    try {
      return EtcdJson.lease(response);
    } catch (IllegalStateException e) {
      throw new CoordinationException("etcd granted no lease: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Duration> keepAlive(long lease) {
    try {
      return EtcdJson.keepAlive(
          endpoints.post("/v3/lease/keepalive", EtcdJson.leaseRequest(lease), true));
    } catch (EtcdError.LeaseNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void revoke(long lease) {
    try {
      endpoints.post("/v3/lease/revoke", EtcdJson.leaseRequest(lease), true);
    } catch (EtcdError.LeaseNotFoundException e) {
      // Gone already: what revoking was for.
    }
  }

  @Override
  public Watch watch(
      String prefix, long afterRevision, Consumer<WatchEvent> listener, Consumer<Exception> onEnd) {
    EtcdWatch[] self = new EtcdWatch[1];
    EtcdWatch watch =
        new EtcdWatch(
            endpoints, prefix, afterRevision, listener, onEnd, () -> watches.remove(self[0]));
    self[0] = watch;
    watches.add(watch);
    return watch.start();
  }

  /** Ends every watch; their {@code onEnd} hears null. */
  @Override
  public void close() {
    for (EtcdWatch watch : List.copyOf(watches)) {
      watch.close();
    }
  }
}
