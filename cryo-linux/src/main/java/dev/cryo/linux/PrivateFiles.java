package dev.cryo.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * File operations for data that is secret by nature (process images hold memory, keys included; a
 * control socket's directory admits whoever may control a process): directories 0700, files 0600,
 * and durable writes.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** The attribute that creates a file 0600 (less what the umask takes away). */
  public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
    return PosixFilePermissions.asFileAttribute(FILE);
  }

  /** The attribute that creates a directory 0700 (less what the umask takes away). */
  public static FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
    return PosixFilePermissions.asFileAttribute(DIRECTORY);
  }

  /**
   * Creates the directory and any missing parents, each new one 0700. Existing directories keep
   * their mode: an image store placed inside a shared directory must not change that directory.
   */
  public static Path createDirectories(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createDirectories(parent);
    }
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectory(dir, directoryAttribute());
      } catch (FileAlreadyExistsException e) {
        if (Files.isDirectory(dir)) {
          return dir; // Another thread made it meanwhile.
        }
        throw e;
      }
      // The umask may have taken bits away from the mode asked for, never added any; set it
      // exactly.
      Files.setPosixFilePermissions(dir, DIRECTORY);
    }
    return dir;
  }

  /** A directory of one's own, created if needed and made 0700 whatever it was. */
  public static Path privateDirectory(Path dir) throws IOException {
    createDirectories(dir);
    Files.setPosixFilePermissions(dir, DIRECTORY);
    return dir;
  }

  /** Writes a new 0600 file and flushes it to disk. */
  public static void write(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, fileAttribute());
    Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    fsync(file);
  }

  /** Makes everything under {@code root} private: directories 0700, files 0600. */
  public static void restrict(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.collect(Collectors.toList())) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        Files.setPosixFilePermissions(p, Files.isDirectory(p) ? DIRECTORY : FILE);
      }
    }
  }

  /** Flushes every file and directory under {@code root} to disk, directories last. */
  public static void fsyncTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> all = Files.walk(root)) {
      paths = all.collect(Collectors.toList());
    }
    for (Path p : paths) {
      if (Files.isRegularFile(p)) {
        fsync(p);
      }
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      if (Files.isDirectory(paths.get(i))) {
        fsync(paths.get(i));
      }
    }
  }

  /** Flushes one file or directory (a directory's entries: creations and renames) to disk. */
  public static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Deletes a tree; missing is fine. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> paths = all.collect(Collectors.toList());
      for (int i = paths.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(paths.get(i));
      }
    }
  }
}
