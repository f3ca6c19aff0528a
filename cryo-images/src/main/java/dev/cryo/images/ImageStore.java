package dev.cryo.images;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The directory where checkpoints live on this host, and the working copy that CRIU writes and
 * reads: a checkpoint is staged, then published, then restored or deleted. Its layout is {@link
 * StoreLayout}'s, its names {@link CheckpointNames}', its manifests are written by {@link
 * ManifestCodec} and checked by {@link CheckpointVerifier}. Elsewhere, checkpoints are kept through
 * a {@link CheckpointRepository}, which this store also is ({@link #asRepository}).
 *
 * <p>Publication is one rename from the staging area into place, after every file has been flushed
 * to disk, so a crash at any moment leaves either no checkpoint or a whole one.
 */
public final class ImageStore {
  private final StoreLayout layout;

  private ImageStore(Path root) {
    this.layout = new StoreLayout(root);
  }

  /**
   * Writes and reads a sample manifest, so that the JSON machinery is loaded and has looked at the
   * manifest's types before the first real one is read: a command line calls this in the background
   * while it parses its arguments, which halves what a short command waits for here.
   */
  public static void warmUp() {
    ManifestCodec.warmUp();
  }

  /**
   * The store for this user when none is given: {@code /var/lib/cryo} for root, otherwise {@code
   * $XDG_DATA_HOME/cryo}, which defaults to {@code ~/.local/share/cryo}.
   */
  public static Path defaultRoot(Map<String, String> env, boolean isRoot, Path home) {
    if (isRoot) {
      return Path.of("/var/lib/cryo");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path data =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : home.resolve(".local/share");
    return data.resolve("cryo");
  }

  /**
   * Opens the store at {@code root}, creating it if needed, and checks that it can be written.
   *
   * @throws ImageStoreUnusableException when the directory cannot be created or written
   */
  public static ImageStore open(Path root) throws ImageStoreException {
    ImageStore store = new ImageStore(root.toAbsolutePath().normalize());
    try {
      store.layout.create();
    } catch (IOException e) {
      throw new ImageStoreUnusableException(
          "cannot write the image store at "
              + store.root()
              + ": "
              + StoreLayout.reason(e)
              + "; fix its permissions or choose another directory",
          e);
    }
    return store;
  }

  /**
   * Opens a store for commands that only read; nothing is created, and a missing store is empty.
   *
   * @throws ImageStoreUnusableException when {@code root} exists but is not a directory
   */
  public static ImageStore openForReading(Path root) throws ImageStoreException {
    Path abs = root.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new ImageStoreUnusableException(
          "the image store " + abs + " is not a directory; choose another");
    }
    return new ImageStore(abs);
  }

  public Path root() {
    return layout.root();
  }

  /** This store as a place to keep checkpoints, beside others such as a remote repository. */
  public CheckpointRepository asRepository() {
    return new LocalCheckpointRepository(this);
  }

  /** A private directory for logs of operations that leave checkpoints untouched. */
  public Path logsDir() throws ImageStoreException {
    try {
      return PrivateFiles.privateDirectory(layout.logs());
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot write logs under " + root() + ": " + StoreLayout.reason(e), e);
    }
  }

  /**
   * Moves a log out of a staged checkpoint that is about to be discarded, so that the log of a
   * failed checkpoint outlives it. Returns where it went, or empty if it could not be kept.
   */
  public Optional<Path> keepLog(StagedCheckpoint staged, String fileName) {
    Path log = staged.directory().resolve(fileName);
    if (!Files.isRegularFile(log)) {
      return Optional.empty();
    }
    try {
      Path kept = logsDir().resolve(staged.id() + "-" + fileName);
      Files.move(log, kept, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(kept, PrivateFiles.FILE);
      return Optional.of(kept);
    } catch (IOException | ImageStoreException e) {
      return Optional.empty();
    }
  }

  /**
   * Sets a staged checkpoint aside when it cannot be published but must not be lost (its process is
   * gone). It stays in the staging area, renamed so that it is never cleared automatically. Returns
   * where it is: where it was, if it could not be renamed.
   */
  public Path keepUnpublished(StagedCheckpoint staged) {
    Path kept = layout.unpublished(staged.id());
    try {
      Files.move(staged.directory(), kept, StandardCopyOption.ATOMIC_MOVE);
      return kept;
    } catch (IOException e) {
      return staged.directory();
    }
  }

  /** Checkpoints set aside by {@link #keepUnpublished}, which no listing shows otherwise. */
  public List<Path> unpublished() {
    return layout.unpublished();
  }

  /** Why {@code name} cannot name a checkpoint, if it cannot; for checking a command line early. */
  public static Optional<String> invalidNameReason(String name) {
    return CheckpointNames.invalidNameReason(name);
  }

  /** Checks that a name may be used for a new checkpoint. */
  public void checkNameAvailable(String name) throws ImageStoreException {
    if (name == null) {
      return;
    }
    Optional<String> invalid = CheckpointNames.invalidNameReason(name);
    if (invalid.isPresent()) {
      throw new ImageStoreException(invalid.get());
    }
    Optional<StoredCheckpoint> existing = findByName(name);
    if (existing.isPresent()) {
      throw new NameTakenException(name, existing.get().id());
    }
  }

  /** Starts a checkpoint in the staging area. Leftovers of writers that died are cleared first. */
  public StagedCheckpoint stage(String name) throws ImageStoreException {
    checkNameAvailable(name);
    layout.clearAbandonedStaging();
    String id = CheckpointNames.newId();
    Path dir = layout.staging(id);
    try {
      PrivateFiles.createDirectories(dir.resolve(StoreLayout.IMAGES_DIR));
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot create a checkpoint under " + root() + ": " + StoreLayout.reason(e), e);
    }
    return new StagedCheckpoint(id, name, dir);
  }

  /**
   * Compresses a staged checkpoint's page images with zstd ({@link PageCompression}), before it is
   * published. Returns the pages' bytes before and after.
   */
  public PageCompression.Sizes compressPages(StagedCheckpoint staged) throws ImageStoreException {
    try {
      return PageCompression.compress(staged.imagesDir());
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot compress the checkpoint's pages in " + root() + ": " + StoreLayout.reason(e), e);
    } catch (LinkageError e) {
      throw new ImageStoreException(
          "cannot compress the checkpoint's pages: zstd is not available here ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * The directory CRIU restores {@code checkpoint} from: its own images, or for a compressed
   * checkpoint a private copy with the pages expanded, in the staging area (cleared with the
   * staging leftovers if this process dies). Give it back with {@link #release}.
   */
  public Path restorable(StoredCheckpoint checkpoint) throws ImageStoreException {
    if (!checkpoint.compressed()) {
      return checkpoint.imagesDir();
    }
    Path dir = layout.restoreCopy(checkpoint.id());
    try {
      PrivateFiles.deleteTree(dir);
      Path images = PrivateFiles.createDirectories(dir.resolve(StoreLayout.IMAGES_DIR));
      PageCompression.expand(checkpoint.imagesDir(), images);
      return images;
    } catch (IOException | LinkageError e) {
      try {
        PrivateFiles.deleteTree(dir);
      } catch (IOException ignored) {
        // Cleared with the staging leftovers later.
      }
      throw new ImageStoreException(
          "cannot expand the compressed pages of checkpoint "
              + checkpoint.label()
              + " under "
              + root()
              + ": "
              + (e instanceof IOException io
                  ? StoreLayout.reason(io)
                  : "zstd is not available here (" + e.getMessage() + ")"),
          e);
    }
  }

  /**
   * Deletes what {@link #restorable} made for a restore that no longer needs it; nothing for an
   * uncompressed checkpoint.
   */
  public void release(StoredCheckpoint checkpoint, Path restorable) {
    if (restorable.equals(checkpoint.imagesDir())) {
      return;
    }
    try {
      PrivateFiles.deleteTree(restorable.getParent());
    } catch (IOException ignored) {
      // Cleared with the staging leftovers later.
    }
  }

  /**
   * Does the expensive part of publishing ahead of time: restricts permissions, computes checksums
   * and flushes every file to disk. Optional; {@link #publish} does whatever is left.
   */
  public void prepare(StagedCheckpoint staged) throws ImageStoreException {
    try {
      PrivateFiles.restrict(staged.directory());
      staged.checksumFiles();
      PrivateFiles.fsyncTree(staged.directory());
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot save the checkpoint in " + root() + ": " + StoreLayout.reason(e), e);
    }
  }

  /**
   * Makes a staged checkpoint visible: restricts permissions, records every file's size and CRC32C
   * in the manifest, flushes everything to disk, and renames it into place.
   *
   * @param draft the manifest without files; id and name are taken from {@code staged}
   */
  public StoredCheckpoint publish(StagedCheckpoint staged, Manifest draft)
      throws ImageStoreException {
    Path dir = staged.directory();
    try {
      PrivateFiles.restrict(dir);
      Manifest manifest =
          new Manifest(
                  Manifest.FORMAT,
                  staged.id(),
                  staged.name(),
                  draft.createdAt(),
                  draft.host(),
                  draft.source(),
                  0,
                  List.of())
              .withFiles(staged.checksumFiles());
      return moveIntoPlace(dir, manifest);
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot save the checkpoint in " + root() + ": " + StoreLayout.reason(e), e);
    }
  }

  /**
   * Writes {@code manifest} into {@code dir}, flushes it all to disk and renames it into place,
   * unless another checkpoint took its name meanwhile.
   */
  StoredCheckpoint moveIntoPlace(Path dir, Manifest manifest)
      throws IOException, ImageStoreException {
    PrivateFiles.write(dir.resolve(StoreLayout.MANIFEST), ManifestCodec.encode(manifest));
    PrivateFiles.fsyncTree(dir);
    Path target = layout.checkpoint(manifest.id());
    try (FileChannel lockFile =
            FileChannel.open(
                layout.lockFile(),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
        FileLock ignored = lockFile.lock()) {
      checkNameAvailable(manifest.name());
      Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
      PrivateFiles.fsync(target.getParent());
    }
    return new StoredCheckpoint(target, manifest);
  }

  /** Writes a checkpoint's files into a directory: how {@link #receive} gets them. */
  @FunctionalInterface
  public interface CheckpointFiles {
    void writeInto(Path directory) throws IOException, ImageStoreException;
  }

  /**
   * Brings in a checkpoint kept elsewhere, such as in a remote repository: {@code files} writes it
   * into a private staging directory, which is then checked against {@code manifest} and published
   * with it. Nothing is visible unless every file is there and intact.
   */
  public StoredCheckpoint receive(Manifest manifest, CheckpointFiles files)
      throws ImageStoreException {
    Path copy = null;
    try {
      copy = stagingFor(manifest.id());
      files.writeInto(copy);
      PrivateFiles.restrict(copy);
      requireIntact(new StoredCheckpoint(copy, manifest));
      return moveIntoPlace(copy, manifest);
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot copy checkpoint "
              + (manifest.name() != null ? manifest.name() : manifest.id())
              + " into "
              + root()
              + ": "
              + StoreLayout.reason(e),
          e);
    } finally {
      deleteStagingQuietly(copy);
    }
  }

  private static void deleteStagingQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      PrivateFiles.deleteTree(dir);
    } catch (IOException ignored) {
      // Cleared with the staging leftovers later.
    }
  }

  /**
   * A private directory in the staging area to copy a checkpoint into, before {@link
   * #moveIntoPlace}.
   */
  Path stagingFor(String id) throws IOException {
    layout.clearAbandonedStaging();
    Path dir = layout.staging(id);
    PrivateFiles.deleteTree(dir);
    return PrivateFiles.createDirectories(dir);
  }

  /** Every published checkpoint whose manifest can be read, oldest first. */
  public List<StoredCheckpoint> list() throws ImageStoreException {
    Path dir = layout.checkpoints();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<StoredCheckpoint> result = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().collect(Collectors.toList())) {
        ManifestCodec.read(p).ifPresent(m -> result.add(new StoredCheckpoint(p, m)));
      }
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot read the image store at " + root() + ": " + StoreLayout.reason(e), e);
    }
    result.sort(
        Comparator.comparing((StoredCheckpoint c) -> c.manifest().createdAt())
            .thenComparing(StoredCheckpoint::id));
    return result;
  }

  private Optional<StoredCheckpoint> findByName(String name) throws ImageStoreException {
    return list().stream().filter(c -> name.equals(c.manifest().name())).findFirst();
  }

  /**
   * The checkpoint with this id or name.
   *
   * @throws CheckpointNotFoundException when there is none
   * @throws CorruptCheckpointException when its directory exists but its manifest is unreadable
   */
  public StoredCheckpoint resolve(String reference) throws ImageStoreException {
    if (CheckpointNames.isId(reference)) {
      Path dir = layout.checkpoint(reference);
      if (Files.isDirectory(dir)) {
        return ManifestCodec.read(dir)
            .map(m -> new StoredCheckpoint(dir, m))
            .orElseThrow(
                () ->
                    new CorruptCheckpointException(
                        reference, List.of(StoreLayout.MANIFEST + " is missing or unreadable")));
      }
    }
    return findByName(reference).orElseThrow(() -> new CheckpointNotFoundException(reference));
  }

  /**
   * Checks every file against the manifest. Returns the problems found, empty when the checkpoint
   * is intact: missing, resized, altered or unexpected files.
   */
  public List<String> verify(StoredCheckpoint checkpoint) throws ImageStoreException {
    return CheckpointVerifier.problems(checkpoint, true, true);
  }

  /**
   * {@link #verify} but for the contents of the page images, whose presence and sizes are still
   * checked: what a lazy restore checks before the processes run, since reading every page first is
   * what it avoids. {@link #verifyPageContents} checks the rest meanwhile.
   */
  public List<String> verifyAllButPageContents(StoredCheckpoint checkpoint)
      throws ImageStoreException {
    return CheckpointVerifier.problems(checkpoint, false, true);
  }

  /** The checksums of the page images alone (see {@link #verifyAllButPageContents}). */
  public List<String> verifyPageContents(StoredCheckpoint checkpoint) throws ImageStoreException {
    return CheckpointVerifier.problems(checkpoint, true, false);
  }

  /** Like {@link #verify} but throws {@link CorruptCheckpointException} on any problem. */
  public void requireIntact(StoredCheckpoint checkpoint) throws ImageStoreException {
    List<String> problems = verify(checkpoint);
    if (!problems.isEmpty()) {
      throw new CorruptCheckpointException(checkpoint.label(), problems);
    }
  }

  /**
   * Removes a checkpoint: it disappears from listings in one rename, then its files are deleted.
   */
  public void delete(StoredCheckpoint checkpoint) throws ImageStoreException {
    Path trash = layout.trash(checkpoint.id());
    try {
      PrivateFiles.createDirectories(trash.getParent());
      Files.move(checkpoint.directory(), trash, StandardCopyOption.ATOMIC_MOVE);
      PrivateFiles.fsync(checkpoint.directory().getParent());
      PrivateFiles.deleteTree(trash);
    } catch (IOException e) {
      throw new ImageStoreException(
          "cannot delete checkpoint " + checkpoint.label() + ": " + StoreLayout.reason(e), e);
    }
  }

  /** The manifest as it is stored, for display. */
  public String toJson(Manifest manifest) {
    return ManifestCodec.toJson(manifest);
  }
}
