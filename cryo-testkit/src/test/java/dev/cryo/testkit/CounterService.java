package dev.cryo.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** A counter on loopback, as the test programs serve it, for the clients' tests. */
final class CounterService implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong count = new AtomicLong();

  CounterService() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/count", e -> answer(e, 200, Long.toString(count.get())));
    server.createContext("/increment", e -> answer(e, 200, Long.toString(count.incrementAndGet())));
    server.createContext("/missing", e -> answer(e, 404, "no such thing"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
