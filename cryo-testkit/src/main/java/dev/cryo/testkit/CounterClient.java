package dev.cryo.testkit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client of a running counter program (the counter server, the participant service, the Spring
 * Boot example: each counts on {@code /increment} and tells on {@code /count}), holding the process
 * when the caller started it. Requests use plain sockets so that the tests control exactly which
 * TCP connection each request travels on.
 */
public final class CounterClient {
  private final Process process;
  private final int port;

  public CounterClient(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A service this test did not start itself (a supervised program), by its port alone. */
  public static CounterClient at(int port) {
    return new CounterClient(null, port);
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public long increment() throws IOException {
    return get("/increment");
  }

  public long count() throws IOException {
    return get("/count");
  }

  /** One request on a new connection that closes after the answer. */
  public long get(String path) throws IOException {
    try (Connection c = connect()) {
      return c.get(path);
    }
  }

  /** One request on a new connection, answered with text. */
  public String text(String path) throws IOException {
    try (Connection c = connect()) {
      return c.text(path);
    }
  }

  public int port() {
    return port;
  }

  /** A kept-alive connection for several requests. */
  public Connection connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(20_000);
    return new Connection(socket);
  }

  /** One HTTP/1.1 connection, kept alive between requests. */
  public static final class Connection implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    public int localPort() {
      return socket.getLocalPort();
    }

    public long get(String path) throws IOException {
      return Long.parseLong(text(path).trim());
    }

    /** The body of a GET, as text. */
    public String text(String path) throws IOException {
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead();
      if (!head.startsWith("HTTP/1.1 200")) {
        throw new IOException("GET " + path + " answered: " + head.lines().findFirst().orElse(""));
      }
      int length =
          head.lines()
              .filter(l -> l.toLowerCase().startsWith("content-length:"))
              .map(l -> Integer.parseInt(l.substring(15).trim()))
              .findFirst()
              .orElseThrow(() -> new IOException("no Content-Length in " + head));
      byte[] body = in.readNBytes(length);
      if (body.length != length) {
        throw new IOException("connection closed in the middle of a response");
      }
      return new String(body, StandardCharsets.UTF_8);
    }

    private String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed before a response");
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
