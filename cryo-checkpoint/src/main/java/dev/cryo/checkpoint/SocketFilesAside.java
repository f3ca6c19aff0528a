package dev.cryo.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the original's control sockets reachable while a copy of it is restored beside it. CRIU
 * binds a restored socket at its recorded path, unlinking whatever file is there, so the original's
 * socket files are renamed aside first and put back once the copy has moved its own socket
 * elsewhere. A socket stays reachable under a new name: connections find it by its inode.
 */
final class SocketFilesAside implements AutoCloseable {
  private final Map<Path, Path> moved;

  private SocketFilesAside(Map<Path, Path> moved) {
    this.moved = moved;
  }

  static SocketFilesAside of(List<Path> paths) throws IOException {
    Map<Path, Path> moved = new LinkedHashMap<>();
    for (Path path : paths) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        Path aside =
            path.resolveSibling(path.getFileName() + ".aside-" + ProcessHandle.current().pid());
        Files.move(
            path, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        moved.put(path, aside);
      }
    }
    return new SocketFilesAside(moved);
  }

  /**
   * Moves the files that a restored copy bound at the set-aside paths to names of their own ({@code
   * PATH + suffix}), before {@link #close} puts the original's back: the copy's sockets stay
   * reachable there. Returns each path with the name its copy's file now has.
   */
  Map<Path, Path> park(String suffix) throws IOException {
    Map<Path, Path> parked = new LinkedHashMap<>();
    for (Path path : moved.keySet()) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        Path name = path.resolveSibling(path.getFileName() + suffix);
        Files.move(path, name, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        parked.put(path, name);
      }
    }
    return parked;
  }

  /** Puts every file back at its path, over what the restored copy left there. */
  @Override
  public void close() {
    List<Path> lost = new ArrayList<>();
    moved.forEach(
        (path, aside) -> {
          try {
            Files.move(
                aside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException e) {
            lost.add(path);
          }
        });
    moved.clear();
    if (!lost.isEmpty()) {
      throw new IllegalStateException("could not put control sockets back at " + lost);
    }
  }
}
