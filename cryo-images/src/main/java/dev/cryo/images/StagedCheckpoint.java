package dev.cryo.images;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A checkpoint being written. It lives in the store's private staging area, invisible to {@link
 * ImageStore#list()} and {@link ImageStore#resolve(String)}, until {@link
 * ImageStore#publish(StagedCheckpoint, Manifest)} moves it into place in one rename.
 */
public final class StagedCheckpoint {
  private final String id;
  private final String name;
  private final Path directory;

  /** Checksums already computed, keyed by relative path, valid while size and mtime hold. */
  private final Map<String, Hashed> hashed = new HashMap<>();

  private record Hashed(Manifest.FileEntry entry, long modifiedNanos) {}

  StagedCheckpoint(String id, String name, Path directory) {
    this.id = id;
    this.name = name;
    this.directory = directory;
  }

  /** The same staged files, to be published under their id alone. */
  public StagedCheckpoint withoutName() {
    StagedCheckpoint unnamed = new StagedCheckpoint(id, null, directory);
    unnamed.hashed.putAll(hashed);
    return unnamed;
  }

  public String id() {
    return id;
  }

  /** The requested name, or null. */
  public String name() {
    return name;
  }

  /** The staging directory; side files such as logs may go here. */
  public Path directory() {
    return directory;
  }

  /** Where the image files go. */
  public Path imagesDir() {
    return directory.resolve(StoreLayout.IMAGES_DIR);
  }

  /**
   * Computes the size and CRC32C of every file but the manifest, sorted by path: the manifest's
   * entries. A file unchanged since the last call is not read again, so a checkpoint can be
   * checksummed while the process is frozen and published after CRIU's last small writes.
   */
  List<Manifest.FileEntry> checksumFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.walk(directory)) {
      files = all.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    List<Manifest.FileEntry> entries = new ArrayList<>();
    ByteBuffer buffer = Checksums.buffer();
    for (Path file : files) {
      String relative = directory.relativize(file).toString();
      if (relative.equals(StoreLayout.MANIFEST)) {
        continue;
      }
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      long modified =
          attrs.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
              + attrs.lastModifiedTime().toInstant().getNano();
      Hashed known = hashed.get(relative);
      if (known == null || known.modifiedNanos != modified || known.entry.size() != attrs.size()) {
        known =
            new Hashed(
                Manifest.FileEntry.of(relative, attrs.size(), Checksums.crc32c(file, buffer)),
                modified);
        hashed.put(relative, known);
      }
      entries.add(known.entry);
    }
    entries.sort(Comparator.comparing(Manifest.FileEntry::path));
    return entries;
  }

  /** Throws the staged files away; nothing published is touched. */
  public void discard() throws IOException {
    PrivateFiles.deleteTree(directory);
  }
}
