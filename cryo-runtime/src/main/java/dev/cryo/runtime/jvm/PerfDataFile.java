package dev.cryo.runtime.jvm;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the image independent of the JVM's performance-data file ({@code /tmp/hsperfdata_USER/PID},
 * a shared mapping CRIU would otherwise need to find again at restore, and which is gone once the
 * original process has exited or /tmp was cleaned). Just before the dump the file is unlinked, so
 * CRIU saves its few kilobytes in the image as a deleted file; afterwards a copy is put back under
 * the old name so that {@code jps} still lists the process. The copy is not the live mapping:
 * {@code jstat} shows the counters as they were at the checkpoint. Not needed, and inactive, under
 * {@code -XX:-UsePerfData}.
 */
public final class PerfDataFile implements CheckpointResource {
  private static final String MARKER = "/hsperfdata_";
  private static final String DELETED = " (deleted)";

  private Path path;
  private byte[] contents;

  @Override
  public synchronized void beforeCheckpoint() throws IOException {
    path = null;
    contents = null;
    Optional<Path> mapped = mappedPath();
    if (mapped.isEmpty()) {
      return;
    }
    Path file = mapped.get();
    path = file;
    if (Files.exists(file)) {
      // The live file the first time, or the copy an earlier checkpoint left there.
      contents = Files.readAllBytes(file);
      Files.delete(file);
    }
  }

  @Override
  public synchronized void afterRestore(Resumption resumption) {
    if (path == null || contents == null || Files.exists(path)) {
      return;
    }
    try {
      Path directory = path.getParent();
      if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      }
      if (!safeDirectory(directory)) {
        RuntimeLog.debug("not putting back " + path + ": its directory is not this user's alone");
        return;
      }
      // Created 0600 in one step, as the JVM does: it holds the command line and properties.
      try (var out =
          Files.newByteChannel(
              path,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        out.write(ByteBuffer.wrap(contents));
      }
    } catch (IOException e) {
      RuntimeLog.debug(
          "could not put back " + path + " (jps will not list this JVM): " + e.getMessage());
    }
  }

  /** Owned by this process's user, a real directory, and writable by nobody else. */
  private static boolean safeDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    var owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
    var mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
    return owner.equals(LinuxProcess.ownerOfSelf())
        && !mode.contains(PosixFilePermission.GROUP_WRITE)
        && !mode.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /** The performance-data file this JVM maps, from {@code /proc/self/maps}. */
  static Optional<Path> mappedPath() throws IOException {
    List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
    for (String line : maps) {
      int at = line.indexOf(MARKER);
      if (at < 0) {
        continue;
      }
      int start = line.lastIndexOf(' ', at) + 1;
      String name = line.substring(start);
      if (name.endsWith(DELETED)) {
        name = name.substring(0, name.length() - DELETED.length());
      }
      return Optional.of(Path.of(name));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "cryo hsperfdata handling";
  }
}
