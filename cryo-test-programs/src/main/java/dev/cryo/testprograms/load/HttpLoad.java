package dev.cryo.testprograms.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A steady HTTP/1.1 load of bounded length against one loopback server, for the tests and the
 * benchmark that show what clients see while their server is checkpointed. Two kinds of client run
 * side by side, each sequential (one request at a time):
 *
 * <ul>
 *   <li>a <em>fresh-connection</em> client opens a connection for every request ({@code Connection:
 *       close}), so it meets a server that is not accepting;
 *   <li>a <em>keep-alive</em> client sends all its requests over one connection, so it meets a
 *       server that is frozen mid-conversation. When the server closes that connection between two
 *       requests, the client does what HTTP clients do (RFC 9112, section 9.3.1): it resends the
 *       request once on a new connection, provided not one byte of a response came back and the
 *       request is safe to repeat ({@code GET}). Such a resend is counted, not hidden.
 * </ul>
 *
 * A request fails when no complete {@code 200} response arrives within the timeout. Every request's
 * time counts from its first attempt to its response, resends included: that is the wait its user
 * would see.
 */
public final class HttpLoad {
  private final InetSocketAddress server;
  private final Duration requestTimeout;

  private HttpLoad(InetSocketAddress server, Duration requestTimeout) {
    this.server = server;
    this.requestTimeout = requestTimeout;
  }

  /**
   * Runs a load from the command line and prints what it saw: {@code HttpLoad PORT FRESH_CLIENTS
   * KEEP_ALIVE_CLIENTS SECONDS [FRESH_PATH [KEEP_ALIVE_PATH]]}. Exits 1 if any request failed.
   */
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    HttpLoad load =
        against(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofSeconds(30));
    Result r =
        load.run(
            Integer.parseInt(args[1]),
            args.length > 4 ? args[4] : "/increment",
            Integer.parseInt(args[2]),
            args.length > 5 ? args[5] : "/count",
            Duration.ofSeconds(Long.parseLong(args[3])));
    System.out.printf(
        "answered %d (%.0f/s), failed %d, resent %d; p50 %.1f ms, p99 %.1f ms, longest %.1f ms%n",
        r.answered(),
        r.throughput(),
        r.failures().size(),
        r.resends(),
        r.quantile(0.5).toNanos() / 1e6,
        r.quantile(0.99).toNanos() / 1e6,
        r.longest().toNanos() / 1e6);
    r.failures().stream().limit(20).forEach(System.out::println);
    System.exit(r.failures().isEmpty() ? 0 : 1);
  }

  /**
   * A load against {@code server}, whose requests fail if unanswered after {@code requestTimeout}.
   */
  public static HttpLoad against(InetSocketAddress server, Duration requestTimeout) {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          server + " is not a loopback address: the load stays on this machine");
    }
    return new HttpLoad(server, requestTimeout);
  }

  /**
   * Runs {@code freshClients} fresh-connection clients that {@code GET freshPath} and {@code
   * keepAliveClients} keep-alive clients that {@code GET keepAlivePath}, for {@code duration}, and
   * returns what they saw. The number of requests is bounded by the duration: each client waits for
   * its answer before sending the next.
   */
  public Result run(
      int freshClients,
      String freshPath,
      int keepAliveClients,
      String keepAlivePath,
      Duration duration)
      throws InterruptedException {
    return run(freshClients, freshPath, keepAliveClients, keepAlivePath, duration, () -> false);
  }

  /**
   * Like {@link #run(int, String, int, String, Duration)}, but ends as soon as {@code enough} says
   * so (it is asked every 100 ms), and at the latest after {@code maximum}.
   */
  public Result run(
      int freshClients,
      String freshPath,
      int keepAliveClients,
      String keepAlivePath,
      Duration maximum,
      BooleanSupplier enough)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + maximum.toNanos();
    AtomicLong endAt = new AtomicLong(deadline);
    Thread watcher =
        new Thread(
            () -> {
              while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                if (enough.getAsBoolean()) {
                  endAt.set(System.nanoTime());
                  return;
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "http-load-watcher");
    watcher.setDaemon(true);
    watcher.start();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicLong resends = new AtomicLong();
    CountDownLatch done = new CountDownLatch(freshClients + keepAliveClients);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < freshClients + keepAliveClients; i++) {
      boolean keepAlive = i >= freshClients;
      String path = keepAlive ? keepAlivePath : freshPath;
      Thread t =
          new Thread(
              () -> {
                try (Client client = new Client(keepAlive)) {
                  while (System.nanoTime() - endAt.get() < 0) {
                    long sent = System.nanoTime();
                    try {
                      client.get(path, resends);
                      latencies.add(System.nanoTime() - sent);
                    } catch (IOException e) {
                      failures.add(
                          Duration.ofNanos(sent - start).toMillis()
                              + " ms into the load, GET "
                              + path
                              + (keepAlive ? " (keep-alive)" : " (fresh connection)")
                              + ": "
                              + e);
                      client.close();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "http-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    // Every request ends within its timeout, so the clients end within one timeout of the end.
    done.await();
    watcher.interrupt();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Result(
        Duration.ofNanos(System.nanoTime() - start),
        sorted.size(),
        List.copyOf(failures),
        resends.get(),
        sorted);
  }

  /**
   * What a load saw.
   *
   * @param elapsed how long the load ran
   * @param answered requests that got a complete {@code 200}
   * @param failures one line for each request that did not
   * @param resends keep-alive requests sent a second time after the server closed the connection
   * @param latencies every answered request's time, in nanoseconds, ascending
   */
  public record Result(
      Duration elapsed, int answered, List<String> failures, long resends, List<Long> latencies) {
    /** Answered requests per second. */
    public double throughput() {
      return answered / (elapsed.toNanos() / 1e9);
    }

    /** The {@code q}-quantile (0 to 1) of the answered requests' times. */
    public Duration quantile(double q) {
      if (latencies.isEmpty()) {
        return Duration.ZERO;
      }
      int index = (int) Math.min(latencies.size() - 1, Math.ceil(q * latencies.size()) - 1);
      return Duration.ofNanos(latencies.get(Math.max(0, index)));
    }

    /** The longest any single request waited for its answer. */
    public Duration longest() {
      return latencies.isEmpty()
          ? Duration.ZERO
          : Duration.ofNanos(latencies.get(latencies.size() - 1));
    }
  }

  /** One sequential client: a connection per request, or one kept alive. */
  private final class Client implements AutoCloseable {
    private final boolean keepAlive;
    private Socket socket;

    /** Requests sent on the current connection, for the failure messages. */
    private int requestsOnConnection;

    Client(boolean keepAlive) {
      this.keepAlive = keepAlive;
    }

    void get(String path, AtomicLong resends) throws IOException {
      boolean reused = socket != null;
      if (!reused) {
        socket = connect();
      }
      try {
        exchange(path);
      } catch (ConnectionClosedBeforeResponse e) {
        close();
        if (!reused) {
          throw e;
        }
        // The server closed a connection it had kept alive before answering: resend once.
        resends.incrementAndGet();
        socket = connect();
        exchange(path);
      }
      if (!keepAlive) {
        close();
      }
    }

    private Socket connect() throws IOException {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) requestTimeout.toMillis());
      s.connect(server, (int) requestTimeout.toMillis());
      requestsOnConnection = 0;
      return s;
    }

    private void exchange(String path) throws IOException {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      requestsOnConnection++;
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + server.getHostString()
              + ":"
              + server.getPort()
              + "\r\nConnection: "
              + (keepAlive ? "keep-alive" : "close")
              + "\r\n\r\n";
      try {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        throw new ConnectionClosedBeforeResponse(
            "the connection was closed before the request was sent: " + e);
      }
      readResponse(in);
    }

    private void readResponse(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b;
        try {
          b = in.read();
        } catch (SocketTimeoutException e) {
          throw e;
        } catch (IOException e) {
          if (head.size() == 0) {
            throw new ConnectionClosedBeforeResponse(
                "the connection was closed before a response: " + e);
          }
          throw e;
        }
        if (b < 0) {
          if (head.size() == 0) {
            throw new ConnectionClosedBeforeResponse(
                "the server closed the connection before a response");
          }
          throw new IOException("the response ended after " + head.size() + " bytes of its head");
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      if (!lines[0].startsWith("HTTP/1.1 200") && !lines[0].startsWith("HTTP/1.0 200")) {
        throw new IOException(
            "the server answered '"
                + String.join(" | ", lines)
                + "' to request "
                + requestsOnConnection
                + " on its connection");
      }
      long length = -1;
      boolean chunked = false;
      boolean lastOnConnection = false;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("connection:") && lower.contains("close")) {
          lastOnConnection =
              true; // a server ends a kept-alive connection so (Tomcat after 100 requests)
        } else if (lower.startsWith("content-length:")) {
          length = Long.parseLong(line.substring("content-length:".length()).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        readChunked(in);
      } else if (length >= 0) {
        in.readNBytes((int) length);
      } else {
        in.readAllBytes();
        lastOnConnection = true;
      }
      if (lastOnConnection) {
        close();
      }
    }

    private void readChunked(InputStream in) throws IOException {
      while (true) {
        String size = readLine(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          readLine(in);
          return;
        }
        if (in.readNBytes(n).length < n) {
          throw new IOException("the response ended inside a chunk");
        }
        readLine(in);
      }
    }

    private String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new IOException("the response ended inside a chunked body");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Nothing to do with a connection that will not be used again.
        }
        socket = null;
      }
    }
  }

  /** A connection that ended before one byte of the response: the request may be resent. */
  private static final class ConnectionClosedBeforeResponse extends IOException {
    ConnectionClosedBeforeResponse(String message) {
      super(message);
    }
  }
}
