package dev.cryo.cluster.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cryo.cluster.store.CoordinationAccessDeniedException;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The members of an etcd cluster as one service: a request goes to the member that answered last,
 * and on to the next when that one cannot serve it (down, cut off, without a leader), so that
 * losing a member costs the caller nothing while a quorum remains.
 */
final class EtcdEndpoints {
  private final List<URI> endpoints;
  private final HttpClient client;
  private final SSLContext sslContext;
  private final Duration timeout;
  private final AtomicInteger current = new AtomicInteger();

  EtcdEndpoints(
      List<URI> endpoints, SSLContext sslContext, SSLParameters sslParameters, Duration timeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    this.endpoints = List.copyOf(endpoints);
    this.timeout = timeout;
    this.sslContext = sslContext;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // HTTP/2 on etcd's client port is how gRPC arrives; JSON goes over HTTP/1.1.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout);
    if (sslContext != null) {
      builder.sslContext(sslContext);
      if (sslParameters != null) {
        builder.sslParameters(sslParameters);
      }
    }
    this.client = builder.build();
  }

  List<URI> endpoints() {
    return endpoints;
  }

  /** The member requests go to first. */
  URI current() {
    return endpoints.get(current.get());
  }

  /**
   * POSTs {@code body} to {@code path} on each member in turn until one answers.
   *
   * @param repeatable whether the request may be sent to another member after one may have applied
   *     it (a timeout, a connection lost mid-request): true for reads and writes whose repetition
   *     does no harm, false for transactions, whose outcome must not be guessed
   */
  JsonNode post(String path, JsonNode body, boolean repeatable) {
    List<String> failures = new ArrayList<>();
    int first = current.get();
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (first + i) % endpoints.size();
      URI endpoint = endpoints.get(index);
      HttpResponse<String> response;
      try {
        response =
            client.send(request(endpoint, path, body, true), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throwIfDenied(endpoint, e);
        throwIfDeniedAfterHandshake(endpoint, e);
        failures.add(endpoint + ": " + describe(e));
        if (!repeatable && !notSent(e)) {
          throw ambiguous(path, failures, e);
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CoordinationException("interrupted while waiting for etcd at " + endpoint, e);
      }
      EtcdError error = EtcdError.of(response.statusCode(), response.body());
      if (error == null) {
        current.set(index);
        return parse(endpoint, response.body());
      }
      if (!error.unavailable()) {
        current.set(index);
        throw error.exception(endpoint, path);
      }
      failures.add(endpoint + ": " + error.message());
      if (!repeatable && error.mayHaveApplied()) {
        throw ambiguous(path, failures, null);
      }
    }
    throw unavailable(failures, null);
  }

  /**
   * Opens a streaming POST (a watch) on the first member that answers; the caller reads its lines
   * and closes the stream.
   */
  HttpResponse<InputStream> stream(String path, JsonNode body) {
    List<String> failures = new ArrayList<>();
    int first = current.get();
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (first + i) % endpoints.size();
      URI endpoint = endpoints.get(index);
      try {
        HttpResponse<InputStream> response =
            client.send(
                request(endpoint, path, body, false), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 200) {
          current.set(index);
          return response;
        }
        String text;
        try (InputStream in = response.body()) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        EtcdError error = EtcdError.of(response.statusCode(), text);
        if (error != null && !error.unavailable()) {
          throw error.exception(endpoint, path);
        }
        failures.add(
            endpoint + ": " + (error == null ? "HTTP " + response.statusCode() : error.message()));
      } catch (IOException e) {
        throwIfDenied(endpoint, e);
        throwIfDeniedAfterHandshake(endpoint, e);
        failures.add(endpoint + ": " + describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CoordinationException("interrupted while opening a watch on etcd", e);
      }
    }
    throw unavailable(failures, null);
  }

  private HttpRequest request(URI endpoint, String path, JsonNode body, boolean timed) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (timed) {
      builder.timeout(timeout);
    }
    return builder.build();
  }

  private static JsonNode parse(URI endpoint, String body) {
    try {
      return EtcdJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new CoordinationException(
          endpoint
              + " answered something that is not etcd's JSON; check that --etcd names etcd's"
              + " client URLs",
          e);
    }
  }

  /** Whether the request cannot have reached etcd: the connection was never made. */
  private static boolean notSent(IOException e) {
    return e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
  }

  private static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within the timeout";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within the timeout";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /**
   * Throws {@link CoordinationAccessDeniedException} if {@code e} is a TLS handshake that failed on
   * credentials: the member refused this client's certificate (or that it had none), or presented
   * one the cluster CA did not sign.
   */
  static void throwIfDenied(URI endpoint, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        throw new CoordinationAccessDeniedException(
            "etcd at "
                + endpoint
                + " presented a certificate the cluster CA did not sign; check --tls-ca and the"
                + " endpoints in --etcd",
            e);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException && refusedCredentials(t.getMessage())) {
        throw new CoordinationAccessDeniedException(
            "etcd at "
                + endpoint
                + " refused this client's certificate ("
                + t.getMessage()
                + "); give a certificate and key the cluster CA issued, with --tls-cert and"
                + " --tls-key",
            e);
      }
      if (t instanceof SSLHandshakeException) {
        throw new CoordinationAccessDeniedException(
            "the TLS handshake with etcd at "
                + endpoint
                + " failed ("
                + t.getMessage()
                + "); check --tls-ca, --tls-cert and --tls-key",
            e);
      }
    }
  }

  /**
   * With TLS 1.3 the client's handshake is over before the server has checked its certificate, so a
   * refusal can reach the HTTP client as a connection closed without an answer. When a request over
   * TLS ends that way, one handshake and read of our own asks the member again, and reads its alert
   * if it refuses this client's certificate.
   */
  private void throwIfDeniedAfterHandshake(URI endpoint, IOException e) {
    if (sslContext == null
        || !"https".equals(endpoint.getScheme())
        || notSent(e)
        || e instanceof HttpTimeoutException) {
      return;
    }
    int port = endpoint.getPort() < 0 ? 443 : endpoint.getPort();
    try (SSLSocket socket = (SSLSocket) sslContext.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.startHandshake();
      socket
          .getOutputStream()
          .write(
              ("GET /health HTTP/1.1\r\nHost: "
                      + endpoint.getHost()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.getInputStream().read();
    } catch (IOException probe) {
      throwIfDenied(endpoint, probe);
    }
  }

  private static boolean refusedCredentials(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("bad_certificate")
        || m.contains("certificate_required")
        || m.contains("unknown_ca")
        || m.contains("certificate_unknown")
        || m.contains("access_denied")
        || m.contains("handshake_failure");
  }

  private CoordinationUnavailableException unavailable(List<String> failures, Throwable cause) {
    return new CoordinationUnavailableException(
        "no etcd endpoint could serve the request ("
            + String.join("; ", failures)
            + "); check that etcd runs at "
            + endpoints.stream().map(URI::toString).collect(Collectors.joining(","))
            + " and has a quorum, or name other endpoints with --etcd",
        cause);
  }

  private CoordinationUnavailableException ambiguous(
      String path, List<String> failures, Throwable cause) {
    return new CoordinationUnavailableException(
        "etcd did not confirm "
            + path
            + " ("
            + String.join("; ", failures)
            + "); it may or may not have been applied: read the keys again before retrying",
        cause);
  }
}
