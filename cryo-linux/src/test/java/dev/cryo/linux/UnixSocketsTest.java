package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketsTest {
  private static final List<String> TABLE =
      List.of(
          "Num       RefCount Protocol Flags    Type St Inode Path",
          "0000000000000000: 00000002 00000000 00010000 0001 01 4242 /run/cryo/17.cryo.sock",
          "0000000000000000: 00000002 00000000 00010000 0001 01 4243 /tmp/my dir/with  two spaces/18.cryo.sock",
          "0000000000000000: 00000003 00000000 00000000 0001 03 4244 /run/cryo/17.cryo.sock",
          "0000000000000000: 00000003 00000000 00000000 0001 03 4245",
          "0000000000000000: 00000002 00000000 00010000 0005 01 4246 @abstract name",
          "0000000000000000: 00000002 00000000 00010000 0002 01 4247 /run/datagram");

  @Test
  void readsEachSocketAndItsPathWholeSpacesIncluded() {
    assertThat(UnixSockets.parse(TABLE))
        .as("every socket of the table, heading skipped")
        .containsExactly(
            new UnixSockets.Entry(0x10000, 1, 1, 4242, "/run/cryo/17.cryo.sock"),
            new UnixSockets.Entry(0x10000, 1, 1, 4243, "/tmp/my dir/with  two spaces/18.cryo.sock"),
            new UnixSockets.Entry(0, 1, 3, 4244, "/run/cryo/17.cryo.sock"),
            new UnixSockets.Entry(0, 1, 3, 4245, ""),
            new UnixSockets.Entry(0x10000, 5, 1, 4246, "@abstract name"),
            new UnixSockets.Entry(0x10000, 2, 1, 4247, "/run/datagram"));
  }

  @Test
  void tellsListenersFromConnections() {
    List<UnixSockets.Entry> sockets = UnixSockets.parse(TABLE);
    assertThat(
            sockets.stream()
                .filter(UnixSockets.Entry::isListeningStream)
                .map(UnixSockets.Entry::inode))
        .containsExactly(4242L, 4243L);
    assertThat(
            sockets.stream().filter(UnixSockets.Entry::isConnected).map(UnixSockets.Entry::inode))
        .containsExactly(4244L, 4245L);
  }

  @Test
  void skipsLinesOfAnotherShape() {
    assertThat(UnixSockets.parse(List.of("", "garbage", "0: 1 2 3"))).isEmpty();
  }

  @Test
  void findsThisProcesssOwnListenerWhoseDirectoryHasASpace(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("a b").toAbsolutePath();
    Files.createDirectory(socket);
    socket = socket.resolve("1.cryo.sock");
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(socket));
      String path = socket.toString();
      assertThat(UnixSockets.inOwnNamespace())
          .anyMatch(e -> e.isListeningStream() && e.path().equals(path));
      assertThat(UnixSockets.inNamespaceOf(ProcessHandle.current().pid()))
          .anyMatch(e -> e.isListeningStream() && e.path().equals(path));
      long inode =
          UnixSockets.inOwnNamespace().stream()
              .filter(e -> e.path().equals(path))
              .findFirst()
              .orElseThrow()
              .inode();
      assertThat(OpenFiles.self().values())
          .as("the listener among this JVM's open files")
          .anyMatch(target -> OpenFiles.socketInode(target).orElse(-1) == inode);
    }
  }
}
