package dev.cryo.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a process has open, as the links of /proc/PID/fd name it: a path, {@code socket:[INODE]},
 * {@code pipe:[INODE]}, {@code anon_inode:[eventpoll]}, and so on.
 */
public final class OpenFiles {
  private static final String SOCKET = "socket:[";

  private OpenFiles() {}

  /**
   * The open files of {@code pid} by descriptor number; none if it has ended or is not ours to
   * read.
   */
  public static Map<Integer, String> of(long pid) {
    return read(ProcFiles.of(pid).resolve("fd"));
  }

  /** The calling process's open files by descriptor number. */
  public static Map<Integer, String> self() {
    return read(ProcFiles.self().resolve("fd"));
  }

  private static Map<Integer, String> read(Path fdDirectory) {
    Map<Integer, String> targets = new TreeMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDirectory)) {
      for (Path fd : fds) {
        try {
          targets.put(
              Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
        } catch (IOException | RuntimeException e) {
          // Closed while we looked.
        }
      }
    } catch (IOException e) {
      // The process has ended, or is not ours to read.
    }
    return targets;
  }

  /** The inode of the socket a link names ({@code socket:[INODE]}); empty for anything else. */
  public static OptionalLong socketInode(String target) {
    if (!target.startsWith(SOCKET) || !target.endsWith("]")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(
          Long.parseLong(target.substring(SOCKET.length(), target.length() - 1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The inodes of the sockets that the processes of {@code tree} have open. */
  public static Set<Long> socketInodes(List<Integer> tree) {
    Set<Long> inodes = new HashSet<>();
    for (int pid : tree) {
      for (String target : of(pid).values()) {
        socketInode(target).ifPresent(inodes::add);
      }
    }
    return inodes;
  }
}
