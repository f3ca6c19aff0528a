package dev.cryo.runtime.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What this JVM holds open that a restore cannot bring back, as the warnings of ready name it. */
class RestoreHazardsTest {
  @TempDir Path dir;

  @Test
  void anOpenTcpConnectionIsNamedByItsAddresses() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      String connection =
          "127.0.0.1:" + client.getLocalPort() + " -> 127.0.0.1:" + server.getLocalPort();

      assertThat(new RestoreHazards(() -> dir.resolve("none")).get())
          .anyMatch(w -> w.contains("TCP connection " + connection + " is open"));
    }
  }

  @Test
  void anAcceptedUnixConnectionIsNamedByItsWholePathButTheControlSocketIsNot() throws Exception {
    Path socket =
        Files.createDirectory(dir.resolve("with spaces")).resolve("app.sock").toAbsolutePath();
    Path control = dir.resolve("1.cryo.sock").toAbsolutePath();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ServerSocketChannel controlServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      controlServer.bind(UnixDomainSocketAddress.of(control));
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          SocketChannel accepted = server.accept();
          SocketChannel controlClient = SocketChannel.open(UnixDomainSocketAddress.of(control));
          SocketChannel controlAccepted = controlServer.accept()) {

        assertThat(new RestoreHazards(() -> control).get())
            .anyMatch(w -> w.contains("accepted connection on unix socket " + socket + ";"))
            .noneMatch(w -> w.contains(control.toString()));
      }
    }
  }
}
