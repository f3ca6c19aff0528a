package dev.cryo.runtime.jvm;

import dev.cryo.linux.OpenFiles;
import dev.cryo.linux.TcpSockets;
import dev.cryo.linux.UnixSockets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Looks through the process's open files just before the dump, once every resource has prepared,
 * for what a restore cannot bring back, and names each: open TCP connections (their peers will not
 * know the restored process), accepted connections on unix sockets (CRIU cannot dump one whose peer
 * is outside the process tree; client connections, which have no path, cannot be told apart here),
 * deleted files too big to be saved in the image, and devices other than the harmless ones; and,
 * for each, the selector (epoll instance) it is registered with, if any. These are warnings: cryo
 * shows them, and the dump goes ahead.
 */
public final class RestoreHazards implements Supplier<List<String>> {
  /** CRIU saves deleted files up to this size in the image (its default --ghost-limit). */
  private static final long GHOST_LIMIT = 1 << 20;

  private static final Set<String> HARMLESS_DEVICES =
      Set.of(
          "/dev/null",
          "/dev/zero",
          "/dev/random",
          "/dev/urandom",
          "/dev/full",
          "/dev/tty",
          "/dev/ptmx");

  private final Supplier<Path> controlSocket;

  /**
   * @param controlSocket this runtime's own control socket, which is not a hazard; asked each time,
   *     since a restored copy may move it
   */
  public RestoreHazards(Supplier<Path> controlSocket) {
    this.controlSocket = controlSocket;
  }

  @Override
  public List<String> get() {
    List<String> found = new ArrayList<>();
    try {
      Map<Long, String> tcp = tcpConnections();
      Map<Long, String> unix = connectedUnixSockets();
      Map<Integer, String> targets = OpenFiles.self();
      Map<Integer, List<Integer>> watchers = selectorsWatching(targets);
      for (Map.Entry<Integer, String> fd : targets.entrySet()) {
        describe(fd.getKey(), fd.getValue(), tcp, unix)
            .ifPresent(
                hazard ->
                    found.add(
                        watchers.containsKey(fd.getKey())
                            ? hazard
                                + " (registered with the selector on fd "
                                + String.join(
                                    ", fd ",
                                    watchers.get(fd.getKey()).stream()
                                        .map(String::valueOf)
                                        .toList())
                                + ")"
                            : hazard));
      }
    } catch (RuntimeException e) {
      found.add("could not look through open files for restore hazards: " + e.getMessage());
    }
    return found;
  }

  private Optional<String> describe(
      int fd, String target, Map<Long, String> tcp, Map<Long, String> unix) {
    OptionalLong socket = OpenFiles.socketInode(target);
    if (socket.isPresent()) {
      long inode = socket.getAsLong();
      if (tcp.containsKey(inode)) {
        return Optional.of(
            "fd "
                + fd
                + ": TCP connection "
                + tcp.get(inode)
                + " is open; a restore brings it back only where both addresses exist and the peer still holds it. "
                + "Close it before the checkpoint (a resource's beforeCheckpoint)");
      }
      String path = unix.get(inode);
      // Unnamed connected sockets are left alone: the JDK keeps one (a socket pair with one end
      // closed, for closing channels asynchronously) that CRIU dumps fine, and /proc cannot tell
      // it from a client connection.
      if (path != null && !path.isEmpty() && !path.equals(controlSocket.get().toString())) {
        return Optional.of(
            "fd "
                + fd
                + ": accepted connection on unix socket "
                + path
                + "; CRIU cannot dump it if its peer is outside this process tree");
      }
      return Optional.empty();
    }
    if (target.endsWith(" (deleted)") && target.startsWith("/")) {
      try {
        long size = Files.size(Path.of("/proc/self/fd", Integer.toString(fd)));
        if (size > GHOST_LIMIT) {
          return Optional.of(
              "fd "
                  + fd
                  + ": "
                  + target
                  + " is deleted and holds "
                  + size
                  + " bytes, more than CRIU saves in an image (1 MiB)");
        }
      } catch (IOException e) {
        return Optional.empty();
      }
      return Optional.empty();
    }
    if (target.startsWith("/dev/")
        && !HARMLESS_DEVICES.contains(target)
        && !target.startsWith("/dev/pts/")
        && !target.startsWith("/dev/tty")
        && !target.startsWith("/dev/shm/")) {
      return Optional.of(
          "fd " + fd + ": device " + target + " is open; a restore needs the same device");
    }
    return Optional.empty();
  }

  /**
   * Which selectors (epoll instances) watch which descriptors, from the {@code tfd:} lines of each
   * epoll descriptor's {@code /proc/self/fdinfo}: a hazard's message then names the selector that
   * would wait on it after a restore.
   */
  private static Map<Integer, List<Integer>> selectorsWatching(Map<Integer, String> targets) {
    Map<Integer, List<Integer>> watchers = new HashMap<>();
    for (Map.Entry<Integer, String> fd : targets.entrySet()) {
      if (!fd.getValue().equals("anon_inode:[eventpoll]")) {
        continue;
      }
      try {
        for (String line :
            Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd.getKey())))) {
          if (line.startsWith("tfd:")) {
            int watched = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            watchers.computeIfAbsent(watched, k -> new ArrayList<>()).add(fd.getKey());
          }
        }
      } catch (IOException e) {
        // closed meanwhile
      }
    }
    return watchers;
  }

  /** Established TCP connections by socket inode, as "local -> remote". */
  private static Map<Long, String> tcpConnections() {
    Map<Long, String> connections = new HashMap<>();
    for (TcpSockets.Entry socket : TcpSockets.inOwnNamespace()) {
      if (socket.state() == TcpSockets.State.ESTABLISHED) {
        connections.put(socket.inode(), socket.describe());
      }
    }
    return connections;
  }

  /** Connected unix sockets by inode, with their path ("" when unnamed). */
  private static Map<Long, String> connectedUnixSockets() {
    Map<Long, String> sockets = new HashMap<>();
    for (UnixSockets.Entry socket : UnixSockets.inOwnNamespace()) {
      if (socket.isConnected()) {
        sockets.put(socket.inode(), socket.path());
      }
    }
    return sockets;
  }
}
