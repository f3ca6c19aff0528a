package dev.cryo.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether a stored checkpoint is what its manifest says: every file present, of its size, with its
 * checksum, and nothing else beside them. A lazy restore checks the page images' contents apart
 * from the rest, while the processes already run.
 */
final class CheckpointVerifier {
  private CheckpointVerifier() {}

  /**
   * Checks the files of {@code checkpoint} against its manifest: presence and size always, the
   * checksums of the page images if {@code pageContents}, those of the other files, and the files
   * the manifest does not list, if {@code otherContents}. Returns the problems found.
   */
  static List<String> problems(
      StoredCheckpoint checkpoint, boolean pageContents, boolean otherContents)
      throws ImageStoreException {
    List<String> problems = new ArrayList<>();
    Path dir = checkpoint.directory();
    if (checkpoint.manifest().format() > Manifest.FORMAT) {
      problems.add(
          "it was written by a newer cryo (manifest format "
              + checkpoint.manifest().format()
              + "; this one reads up to "
              + Manifest.FORMAT
              + "): restore it with that version");
      return problems;
    }
    try {
      List<String> listed = new ArrayList<>();
      ByteBuffer buffer = Checksums.buffer();
      for (Manifest.FileEntry entry : checkpoint.manifest().files()) {
        listed.add(entry.path());
        Path file = dir.resolve(entry.path()).normalize();
        if (!file.startsWith(dir)) {
          problems.add(entry.path() + " points outside the checkpoint");
        } else if (!Files.isRegularFile(file)) {
          problems.add(entry.path() + " is missing");
        } else if (Files.size(file) != entry.size()) {
          problems.add(
              entry.path() + " has " + Files.size(file) + " bytes instead of " + entry.size());
        } else if (PageCompression.isPageImage(file.getFileName().toString())
            ? pageContents
            : otherContents) {
          checksumProblem(entry, file, buffer).ifPresent(problems::add);
        }
      }
      if (!otherContents) {
        return problems;
      }
      if (checkpoint.manifest().files().isEmpty()) {
        problems.add("the manifest lists no files");
      }
      for (Path file : regularFiles(dir)) {
        String relative = dir.relativize(file).toString();
        if (!relative.equals(StoreLayout.MANIFEST) && !listed.contains(relative)) {
          problems.add(relative + " is not part of the checkpoint");
        }
      }
    } catch (NoSuchFileException e) {
      problems.add("the checkpoint directory is gone");
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot read checkpoint " + checkpoint.label() + ": " + StoreLayout.reason(e), e);
    }
    return problems;
  }

  private static Optional<String> checksumProblem(
      Manifest.FileEntry entry, Path file, ByteBuffer buffer) throws IOException {
    if (entry.crc32c() != null) {
      return Checksums.crc32c(file, buffer).equals(entry.crc32c())
          ? Optional.empty()
          : Optional.of(entry.path() + " does not match its CRC32C");
    }
    if (entry.sha256() != null) {
      return Checksums.sha256(file).equals(entry.sha256())
          ? Optional.empty()
          : Optional.of(entry.path() + " does not match its SHA-256");
    }
    return Optional.of(entry.path() + " has no checksum in the manifest");
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }
}
