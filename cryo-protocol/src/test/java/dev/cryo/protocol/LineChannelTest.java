package dev.cryo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines over a real unix socket: what each end reads, and when it stops waiting. */
class LineChannelTest {
  @TempDir Path dir;

  private SocketChannel near;
  private SocketChannel far;

  @BeforeEach
  void connect() throws IOException {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("1.cryo.sock"));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(address);
      near = SocketChannel.open(address);
      far = server.accept();
    }
  }

  @AfterEach
  void close() throws IOException {
    near.close();
    far.close();
  }

  @Test
  void aLineIsReadUpToItsNewlineInUtf8() throws Exception {
    LineChannel.writeLine(far, "{\"reason\":\"café\"}");

    assertThat(LineChannel.readLine(near, Duration.ofSeconds(5)))
        .isEqualTo("{\"reason\":\"café\"}");
  }

  @Test
  void aPeerThatClosesOrStaysSilentGivesNoLine() throws Exception {
    assertThat(LineChannel.readLine(near, Duration.ofMillis(100))).as("silence").isNull();
    assertThat(LineChannel.awaitEnd(near, Duration.ofMillis(100))).as("still open").isFalse();

    far.close();

    assertThat(LineChannel.awaitEnd(near, Duration.ofSeconds(5))).as("closed").isTrue();
    assertThat(LineChannel.readLine(near, Duration.ofSeconds(5)))
        .as("closed without a line")
        .isNull();
  }

  @Test
  void aLineLongerThanTheProtocolAllowsIsRefused() throws Exception {
    Thread writer =
        new Thread(
            () -> {
              try {
                far.write(ByteBuffer.wrap("x".repeat(200_000).getBytes(StandardCharsets.UTF_8)));
              } catch (IOException e) {
                // the reader gave up first
              }
            });
    writer.start();

    assertThatThrownBy(() -> LineChannel.readLine(near, Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer than");
    near.close();
    writer.join(10_000);
  }
}
