package dev.cryo.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Lines over a socket channel with a time limit, for both ends of the checkpoint protocol: a peer
 * that stops talking must not hold a connection open into a dump.
 */
public final class LineChannel {
  private static final int MAX_LINE = 64 * 1024;

  private LineChannel() {}

  /**
   * Reads up to the first newline. Returns null if the peer closed the connection first or {@code
   * limit} passed; throws if the line is longer than the protocol allows.
   */
  public static String readLine(SocketChannel channel, Duration limit) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int ended = readUntil(channel, limit, line, true);
    return ended == 1 ? line.toString(StandardCharsets.UTF_8) : null;
  }

  /** Waits until the peer closes the connection; returns false if {@code limit} passed first. */
  public static boolean awaitEnd(SocketChannel channel, Duration limit) throws IOException {
    return readUntil(channel, limit, new ByteArrayOutputStream(), false) == 0;
  }

  public static void writeLine(SocketChannel channel, String line) throws IOException {
    channel.configureBlocking(true);
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** Returns 1 at a newline (when {@code stopAtNewline}), 0 at end of stream, -1 on timeout. */
  private static int readUntil(
      SocketChannel channel, Duration limit, ByteArrayOutputStream line, boolean stopAtNewline)
      throws IOException {
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + limit.toNanos();
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return -1;
        }
        selector.select(left);
        buffer.clear();
        int read = channel.read(buffer);
        if (read < 0) {
          return 0;
        }
        for (int i = 0; i < read; i++) {
          byte b = buffer.get(i);
          if (stopAtNewline && b == '\n') {
            return 1;
          }
          line.write(b);
        }
        if (line.size() > MAX_LINE) {
          throw new IOException("a protocol line longer than " + MAX_LINE + " bytes");
        }
      }
    } finally {
      channel.configureBlocking(true);
    }
  }
}
