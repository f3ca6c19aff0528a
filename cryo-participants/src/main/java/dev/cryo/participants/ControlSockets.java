package dev.cryo.participants;

import dev.cryo.linux.NamespacePids;
import dev.cryo.runtime.control.ControlServer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the control socket of a process that takes part in the coordination protocol: a
 * listening unix stream socket the process holds, bound to an absolute path whose file name is
 * {@code PID.cryo.sock}, PID being the process's own as it sees it (in its own PID namespace, see
 * {@link NamespacePids}). It is read from {@code /proc} alone, so any process in any language can
 * take part, wherever it puts the socket. The PID in the name keeps a child that inherited its
 * parent's socket across a fork from being taken for the parent.
 */
public final class ControlSockets {
  private static final String LISTENING = "00010000";
  private static final String STREAM = "0001";

  private ControlSockets() {
  }

  public static Optional<Path> of(int pid) {
    Set<String> inodes = socketInodes(pid);
    java.util.OptionalInt ownPid = NamespacePids.innermost(pid);
    if (inodes.isEmpty() || ownPid.isEmpty()) {
      return Optional.empty();
    }
    String expectedName = ownPid.getAsInt() + ControlServer.SOCKET_SUFFIX;
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Integer.toString(pid), "net", "unix"));
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        // Num RefCount Protocol Flags Type St Inode Path
        // The path is the last column and may hold spaces: split it off whole.
        String[] f = line.trim().split("\\s+", 8);
        if (f.length == 8 && f[3].equals(LISTENING) && f[4].equals(STREAM) && inodes.contains(f[6])
            && f[7].startsWith("/") && Path.of(f[7]).getFileName().toString().equals(expectedName)) {
          return Optional.of(Path.of(f[7]));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Set<String> socketInodes(int pid) {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // Closed meanwhile.
        }
      }
    } catch (IOException e) {
      return Set.of();
    }
    return inodes;
  }
}
