package dev.cryo.participants;

import dev.cryo.linux.NamespacePids;
import dev.cryo.linux.OpenFiles;
import dev.cryo.linux.UnixSockets;
import dev.cryo.protocol.ControlSocketName;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Finds the control socket of a process that takes part in the checkpoint protocol: a listening
 * unix stream socket the process holds, named as {@link ControlSocketName} says with the PID the
 * process has in its own PID namespace ({@link NamespacePids}). It is read from {@code /proc}
 * alone, so any process in any language can take part, wherever it puts the socket.
 */
public final class ControlSockets {
  private ControlSockets() {}

  public static Optional<Path> of(int pid) {
    Set<Long> inodes = OpenFiles.socketInodes(List.of(pid));
    OptionalInt ownPid = NamespacePids.innermost(pid);
    if (inodes.isEmpty() || ownPid.isEmpty()) {
      return Optional.empty();
    }
    for (UnixSockets.Entry socket : UnixSockets.inNamespaceOf(pid)) {
      if (socket.isListeningStream()
          && inodes.contains(socket.inode())
          && ControlSocketName.isOf(socket.path(), ownPid.getAsInt())) {
        return Optional.of(Path.of(socket.path()));
      }
    }
    return Optional.empty();
  }
}
