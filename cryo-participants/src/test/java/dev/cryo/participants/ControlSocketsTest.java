package dev.cryo.participants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.protocol.ControlSocketName;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a process's control socket from /proc, with this JVM as the process. */
class ControlSocketsTest {
  private static final int SELF = (int) ProcessHandle.current().pid();

  @TempDir Path dir;

  @Test
  void aListenerNamedForTheProcessIsItsControlSocketWhereverItIs() throws Exception {
    Path socket =
        Files.createDirectory(dir.resolve("a dir with spaces"))
            .toAbsolutePath()
            .resolve(ControlSocketName.of(SELF));
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(socket));

      assertThat(ControlSockets.of(SELF)).contains(socket);
    }
    assertThat(ControlSockets.of(SELF)).as("once it is closed").isEmpty();
  }

  @Test
  void aListenerNamedForAnotherProcessIsNot() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(
          UnixDomainSocketAddress.of(dir.toAbsolutePath().resolve(ControlSocketName.of(SELF + 1))));

      assertThat(ControlSockets.of(SELF)).as("a socket inherited from a parent, say").isEmpty();
    }
    assertThat(ControlSockets.of(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
  }
}
