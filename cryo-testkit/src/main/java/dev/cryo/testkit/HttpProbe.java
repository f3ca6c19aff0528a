package dev.cryo.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The client that decides when an application answers: one HTTP/1.0 GET on a fresh loopback
 * connection per attempt, so that no pooled connection can outlive a process or span a restore.
 */
public final class HttpProbe {
  public static final int CONNECT_TIMEOUT_MS = 50;
  public static final int READ_TIMEOUT_MS = 10_000;
  public static final long POLL_INTERVAL_NANOS = 1_000_000;

  public record Response(int status, String body) {
    public boolean ok() {
      return status == 200;
    }
  }

  private HttpProbe() {}

  /** One request; throws if nothing answers. */
  public static Response get(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
      s.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int lineEnd = text.indexOf("\r\n");
      String[] statusLine = (lineEnd < 0 ? text : text.substring(0, lineEnd)).split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP response: " + text);
      }
      int headersEnd = text.indexOf("\r\n\r\n");
      String body = headersEnd < 0 ? "" : text.substring(headersEnd + 4);
      return new Response(Integer.parseInt(statusLine[1]), body.trim());
    }
  }

  /**
   * Polls {@code path} every millisecond until it answers 200 and returns that response. {@code
   * failure} is asked after each unsuccessful attempt: a non-null answer (the process died, say)
   * ends the wait with that message.
   */
  public static Response firstOk(int port, String path, Duration timeout, Supplier<String> failure)
      throws InterruptedException {
    long start = System.nanoTime();
    long next = start;
    String last = "nothing yet";
    while (true) {
      try {
        Response r = get(port, path);
        if (r.ok()) {
          return r;
        }
        last = "HTTP " + r.status() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      String problem = failure.get();
      if (problem != null) {
        throw new IllegalStateException(problem);
      }
      if (System.nanoTime() - start > timeout.toNanos()) {
        throw new IllegalStateException(
            "no HTTP 200 from 127.0.0.1:"
                + port
                + path
                + " within "
                + timeout.toSeconds()
                + " s; last attempt: "
                + last);
      }
      next += POLL_INTERVAL_NANOS;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } else {
        next = System.nanoTime();
      }
    }
  }
}
