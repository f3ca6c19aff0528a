package dev.cryo.testprograms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-thread HTTP server that can be told to stop accepting for a while, so that connections pile
 * up in its listener's accept queue, where the kernel has completed them but the program has not
 * taken them: the state that CRIU cannot dump. The tests checkpoint it in that state.
 *
 * <pre>
 *   GET /stall?ms=N   answers, then accepts nothing for N milliseconds
 *   GET /count        returns how many requests it has answered before this one
 * </pre>
 *
 * Usage: {@code java -cp cryo-test-programs.jar dev.cryo.testprograms.StallingServer PORT}; it
 * prints "ready PORT" once it listens. Every connection carries one request and is closed after it.
 */
public final class StallingServer {
  private StallingServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = Integer.parseInt(args[0]);
    long answered = 0;
    try (ServerSocket listener = new ServerSocket(port, 64, InetAddress.getLoopbackAddress())) {
      System.out.println("ready " + port);
      System.out.flush();
      while (true) {
        long stallMillis = 0;
        try (Socket connection = listener.accept()) {
          String requestLine =
              new BufferedReader(
                      new InputStreamReader(
                          connection.getInputStream(), StandardCharsets.ISO_8859_1))
                  .readLine();
          String path = requestLine == null ? "" : requestLine.split(" ")[1];
          if (path.startsWith("/stall?ms=")) {
            stallMillis = Long.parseLong(path.substring("/stall?ms=".length()));
          }
          answer(connection.getOutputStream(), answered + "\n");
          answered++;
        } catch (IOException | RuntimeException e) {
          // A client that went away, or sent nonsense: serve the next.
        }
        Thread.sleep(stallMillis);
      }
    }
  }

  private static void answer(OutputStream out, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + bytes.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }
}
