package dev.cryo.testprograms;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one kind of answer the example servers give: a short plain text, which a shell or a test
 * reads as it is.
 */
public final class TextReply {
  private TextReply() {}

  /** Answers 200 with {@code body} as UTF-8 plain text and closes the exchange. */
  public static void send(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(
        200, bytes.length == 0 ? -1 : bytes.length); // 0 would mean chunked
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
