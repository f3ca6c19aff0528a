package dev.cryo.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.cryo.cluster.tls.ClusterTls;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunNotFoundException;
import dev.cryo.supervisor.Runs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * What a node serves to other hosts: the output of the programs it runs ({@code cryo logs
 * --cluster} from any host). It listens only with TLS and only for clients whose certificate the
 * cluster's CA signed; everything else a node knows is in etcd.
 *
 * <p>{@code GET /v1/programs/NAME/logs?stream=stdout|stderr&bytes=N}: the last N bytes (at most 1
 * MiB) of that stream.
 */
public final class NodeApi implements AutoCloseable {
  static final int MAX_BYTES = 1 << 20;

  private final HttpsServer server;
  private final Runs runs;

  public NodeApi(InetSocketAddress listen, ClusterTls tls, Runs runs) throws IOException {
    this.runs = runs;
    server = HttpsServer.create(listen, 16);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls.sslContext()) {
          @Override
          public void configure(HttpsParameters parameters) {
            parameters.setSSLParameters(tls.serverParameters());
          }
        });
    server.createContext("/v1/programs/", this::programs);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread thread = new Thread(r, "cryo-node-api");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
  }

  /** The address it listens on (with the port chosen, if 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void programs(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String[] parts = uri.getPath().split("/");
      // "", "v1", "programs", NAME, "logs"
      if (!exchange.getRequestMethod().equals("GET")
          || parts.length != 5
          || !parts[4].equals("logs")) {
        reply(exchange, 404, "no such resource\n");
        return;
      }
      String stream = "stdout";
      int bytes = 64 * 1024;
      String query = uri.getQuery();
      if (query != null) {
        for (String pair : query.split("&")) {
          String[] kv = pair.split("=", 2);
          if (kv.length == 2 && kv[0].equals("stream")) {
            stream = kv[1];
          } else if (kv.length == 2 && kv[0].equals("bytes")) {
            bytes =
                kv[1].matches("\\d{1,7}") ? Math.min(MAX_BYTES, Integer.parseInt(kv[1])) : bytes;
          }
        }
      }
      if (Runs.invalidNameReason(parts[3]).isPresent()
          || !(stream.equals("stdout") || stream.equals("stderr"))) {
        reply(exchange, 400, "bad program name or stream\n");
        return;
      }
      RunDirectory run;
      try {
        run = runs.find(parts[3]);
      } catch (RunNotFoundException e) {
        reply(exchange, 404, "no program " + parts[3] + " on this node\n");
        return;
      }
      byte[] tail = tail(stream.equals("stdout") ? run.stdout() : run.stderr(), bytes);
      exchange.sendResponseHeaders(200, tail.length == 0 ? -1 : tail.length);
      if (tail.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(tail);
        }
      }
    }
  }

  private static byte[] tail(Path file, int bytes) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int count = (int) Math.min(length, bytes);
      byte[] tail = new byte[count];
      in.seek(length - count);
      in.readFully(tail);
      return tail;
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
