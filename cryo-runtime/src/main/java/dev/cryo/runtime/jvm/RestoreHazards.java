package dev.cryo.runtime.jvm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Looks through the process's open files just before the dump, once every resource has prepared,
 * for what a restore cannot bring back, and names each: open TCP connections (their peers will
 * not know the restored process), accepted connections on unix sockets (CRIU cannot dump one whose
 * peer is outside the process tree; client connections, which have no path, cannot be told apart
 * here), deleted files too big to be saved in the image, and devices other
 * than the harmless ones; and, for each, the selector (epoll instance) it is registered with, if
 * any. These are warnings: cryo shows them, and the dump goes ahead.
 */
public final class RestoreHazards implements Supplier<List<String>> {
  /** CRIU saves deleted files up to this size in the image (its default --ghost-limit). */
  private static final long GHOST_LIMIT = 1 << 20;
  private static final Set<String> HARMLESS_DEVICES = Set.of("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom",
      "/dev/full", "/dev/tty", "/dev/ptmx");

  private final java.util.function.Supplier<Path> controlSocket;

  /**
   * @param controlSocket this runtime's own control socket, which is not a hazard; asked each time,
   *     since a restored copy may move it
   */
  public RestoreHazards(java.util.function.Supplier<Path> controlSocket) {
    this.controlSocket = controlSocket;
  }

  @Override
  public List<String> get() {
    List<String> found = new ArrayList<>();
    try {
      Map<String, String> tcp = tcpConnections();
      Map<String, String> unix = connectedUnixSockets();
      Map<String, String> targets = new java.util.TreeMap<>();
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
        for (Path fd : fds) {
          try {
            targets.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
          } catch (IOException e) {
            // closed meanwhile
          }
        }
      }
      Map<String, List<String>> watchers = selectorsWatching(targets);
      for (Map.Entry<String, String> fd : targets.entrySet()) {
        describe(fd.getKey(), fd.getValue(), tcp, unix).ifPresent(hazard -> found.add(
            watchers.containsKey(fd.getKey()) ? hazard + " (registered with the selector on fd "
                + String.join(", fd ", watchers.get(fd.getKey())) + ")" : hazard));
      }
    } catch (IOException | RuntimeException e) {
      found.add("could not look through open files for restore hazards: " + e.getMessage());
    }
    return found;
  }

  private java.util.Optional<String> describe(String fd, String target, Map<String, String> tcp, Map<String, String> unix) {
    if (target.startsWith("socket:[")) {
      String inode = target.substring(8, target.length() - 1);
      if (tcp.containsKey(inode)) {
        return java.util.Optional.of("fd " + fd + ": TCP connection " + tcp.get(inode)
            + " is open; a restore brings it back only where both addresses exist and the peer still holds it. "
            + "Close it before the checkpoint (a resource's beforeCheckpoint)");
      }
      String path = unix.get(inode);
      // Unnamed connected sockets are left alone: the JDK keeps one (a socket pair with one end
      // closed, for closing channels asynchronously) that CRIU dumps fine, and /proc cannot tell
      // it from a client connection.
      if (path != null && !path.isEmpty() && !path.equals(controlSocket.get().toString())) {
        return java.util.Optional.of("fd " + fd + ": accepted connection on unix socket " + path
            + "; CRIU cannot dump it if its peer is outside this process tree");
      }
      return java.util.Optional.empty();
    }
    if (target.endsWith(" (deleted)") && target.startsWith("/")) {
      try {
        long size = Files.size(Path.of("/proc/self/fd", fd));
        if (size > GHOST_LIMIT) {
          return java.util.Optional.of("fd " + fd + ": " + target + " is deleted and holds " + size
              + " bytes, more than CRIU saves in an image (1 MiB)");
        }
      } catch (IOException e) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.empty();
    }
    if (target.startsWith("/dev/") && !HARMLESS_DEVICES.contains(target) && !target.startsWith("/dev/pts/")
        && !target.startsWith("/dev/tty") && !target.startsWith("/dev/shm/")) {
      return java.util.Optional.of("fd " + fd + ": device " + target + " is open; a restore needs the same device");
    }
    return java.util.Optional.empty();
  }

  /**
   * Which selectors (epoll instances) watch which descriptors, from the {@code tfd:} lines of
   * each epoll descriptor's {@code /proc/self/fdinfo}: a hazard's message then names the
   * selector that would wait on it after a restore.
   */
  private static Map<String, List<String>> selectorsWatching(Map<String, String> targets) {
    Map<String, List<String>> watchers = new HashMap<>();
    for (Map.Entry<String, String> fd : targets.entrySet()) {
      if (!fd.getValue().equals("anon_inode:[eventpoll]")) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getKey()))) {
          if (line.startsWith("tfd:")) {
            String watched = line.substring(4).trim().split("\\s+")[0];
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
  private static Map<String, String> tcpConnections() throws IOException {
    Map<String, String> connections = new HashMap<>();
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals("01")) {
          connections.put(f[9], SocketAddresses.decode(f[1]) + " -> " + SocketAddresses.decode(f[2]));
        }
      }
    }
    return connections;
  }

  /** Connected unix sockets by inode, with their path ("" when unnamed). */
  private static Map<String, String> connectedUnixSockets() throws IOException {
    Map<String, String> sockets = new HashMap<>();
    List<String> lines = Files.readAllLines(Path.of("/proc/self/net/unix"));
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      // Num RefCount Protocol Flags Type St Inode [Path]; St 03 is connected.
      if (f.length >= 7 && f[5].equals("03")) {
        sockets.put(f[6], f.length > 7 ? f[7] : "");
      }
    }
    return sockets;
  }
}
