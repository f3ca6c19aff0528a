package dev.cryo.cli;

import dev.cryo.cluster.etcd.EtcdStore;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.tls.ClusterTls;
import dev.cryo.node.ClusterClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command reaches the cluster: etcd's endpoints and this host's certificate, from options or
 * from the environment ({@code scripts/testbed env} prints them), so that every cluster command on
 * a host needs none.
 */
final class ClusterConnection {
  static final String ENDPOINTS_VARIABLE = "CRYO_ETCD_ENDPOINTS";
  static final String CA_VARIABLE = "CRYO_CLUSTER_CA";
  static final String CERT_VARIABLE = "CRYO_CLUSTER_CERT";
  static final String KEY_VARIABLE = "CRYO_CLUSTER_KEY";

  @Option(
      names = "--etcd",
      paramLabel = "URL[,URL...]",
      split = ",",
      description = "etcd's client endpoints (default: $" + ENDPOINTS_VARIABLE + ").")
  List<URI> endpoints;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "The cluster CA's certificate, PEM (default: $" + CA_VARIABLE + ").")
  Path ca;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "This host's certificate, signed by the cluster CA (default: $" + CERT_VARIABLE + ").")
  Path cert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "Its private key, PEM (default: $" + KEY_VARIABLE + ").")
  Path key;

  /** The TLS identity given, read and checked. */
  ClusterTls tls() throws IOException {
    return ClusterTls.load(
        file(ca, CA_VARIABLE, "--tls-ca"),
        file(cert, CERT_VARIABLE, "--tls-cert"),
        file(key, KEY_VARIABLE, "--tls-key"));
  }

  /** The coordination store, reached over mutual TLS. */
  CoordinationStore store(ClusterTls tls) {
    return EtcdStore.connect(endpoints(), Optional.of(tls));
  }

  /** What commands use: the store and the identity. */
  ClusterClient client() throws IOException {
    ClusterTls tls = tls();
    return new ClusterClient(store(tls), tls);
  }

  List<URI> endpoints() {
    if (endpoints != null && !endpoints.isEmpty()) {
      return endpoints;
    }
    String value = System.getenv(ENDPOINTS_VARIABLE);
    if (value == null || value.isBlank()) {
      throw new MissingClusterSettingException(
          "no etcd endpoints: give --etcd URL[,URL...] or set " + ENDPOINTS_VARIABLE);
    }
    List<URI> uris = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        uris.add(URI.create(part.trim()));
      }
    }
    return uris;
  }

  private static Path file(Path given, String variable, String option) {
    if (given != null) {
      return given;
    }
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new MissingClusterSettingException(
          "the cluster needs a certificate: give " + option + " FILE or set " + variable);
    }
    return Path.of(value);
  }

  /** A setting the cluster needs was not given. */
  static final class MissingClusterSettingException extends RuntimeException {
    MissingClusterSettingException(String message) {
      super(message);
    }
  }
}
