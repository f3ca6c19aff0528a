package dev.cryo.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The directory where checkpoints live. Layout:
 *
 * <pre>
 *   checkpoints/ID/manifest.json   published checkpoints, each with its manifest
 *   checkpoints/ID/images/         CRIU's image files
 *   .staging/ID.PID/               checkpoints being written by process PID
 *   .trash/                        checkpoints being deleted
 *   logs/                          logs of operations that must not touch a checkpoint (restores)
 * </pre>
 *
 * Publication is one rename from {@code .staging} into {@code checkpoints}, after every file has
 * been flushed to disk, so a crash at any moment leaves either no checkpoint or a whole one.
 * Everything is private to the owner: directories 0700 and files 0600.
 */
public final class ImageStore {
  static final String IMAGES_DIR = "images";
  static final String MANIFEST = "manifest.json";
  private static final String CHECKPOINTS = "checkpoints";
  private static final String STAGING = ".staging";
  private static final String TRASH = ".trash";
  private static final String LOGS = "logs";
  private static final String LOCK = ".lock";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ID = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  /** Thread-safe once configured; shared, so that {@link #warmUp} prepares the one every store uses. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ImageStore(Path root) {
    this.root = root;
  }

  /**
   * Writes and reads a sample manifest, so that the JSON machinery is loaded and has looked at
   * the manifest's types before the first real one is read: a command line calls this in the
   * background while it parses its arguments, which halves what a short command waits for here.
   */
  public static void warmUp() {
    Manifest sample = new Manifest(Manifest.FORMAT, "20260101-000000-000000", "warm-up", "2026-01-01T00:00:00Z",
        new Manifest.Host("host", "kernel", "criu", List.of("flag")),
        new Manifest.Source(1, List.of(1), List.of("java"), false, true, false,
            List.of(new Manifest.Participant(1, "/1.cryo.sock", "id")), false, null),
        1, List.of(Manifest.FileEntry.of("images/pages-1.img", 1, "00000000")));
    try {
      JSON.readValue(JSON.writeValueAsBytes(sample), Manifest.class);
    } catch (IOException e) {
      // Only a warm-up: the real read reports its own errors.
    }
  }

  /**
   * The store for this user when none is given: {@code /var/lib/cryo} for root, otherwise
   * {@code $XDG_DATA_HOME/cryo}, which defaults to {@code ~/.local/share/cryo}.
   */
  public static Path defaultRoot(Map<String, String> env, boolean isRoot, Path home) {
    if (isRoot) {
      return Path.of("/var/lib/cryo");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg) : home.resolve(".local/share");
    return data.resolve("cryo");
  }

  /**
   * Opens the store at {@code root}, creating it if needed, and checks that it can be written.
   *
   * @throws StoreException when the directory cannot be created or written
   */
  public static ImageStore open(Path root) throws StoreException {
    Path abs = root.toAbsolutePath().normalize();
    try {
      PrivateFiles.createDirectories(abs);
      for (String sub : List.of(CHECKPOINTS, STAGING, TRASH, LOGS)) {
        PrivateFiles.privateDirectory(abs.resolve(sub));
      }
      Path probe = Files.createTempFile(abs.resolve(STAGING), "write-test", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new StoreException("cannot write the image store at " + abs + ": " + reason(e)
          + "; fix its permissions or choose another directory with --store DIR", e);
    }
    return new ImageStore(abs);
  }

  /**
   * Opens a store for commands that only read; nothing is created, and a missing store is empty.
   *
   * @throws StoreException when {@code root} exists but is not a directory
   */
  public static ImageStore openForReading(Path root) throws StoreException {
    Path abs = root.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new StoreException("the image store " + abs + " is not a directory; choose another with --store DIR");
    }
    return new ImageStore(abs);
  }

  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  public Path root() {
    return root;
  }

  /** A private directory for logs of operations that leave checkpoints untouched. */
  public Path logsDir() throws StoreException {
    try {
      return PrivateFiles.privateDirectory(root.resolve(LOGS));
    } catch (IOException e) {
      throw new StoreException("cannot write logs under " + root + ": " + reason(e), e);
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
    } catch (IOException | StoreException e) {
      return Optional.empty();
    }
  }

  /**
   * Sets a staged checkpoint aside when it cannot be published but must not be lost (its process
   * is gone). It stays under {@code .staging}, renamed so that it is never cleared automatically.
   */
  public Path keepUnpublished(StagedCheckpoint staged) throws StoreException {
    Path kept = root.resolve(STAGING).resolve(staged.id() + ".unpublished");
    try {
      Files.move(staged.directory(), kept, StandardCopyOption.ATOMIC_MOVE);
      return kept;
    } catch (IOException e) {
      return staged.directory();
    }
  }

  /** Checkpoints set aside by {@link #keepUnpublished}, which no listing shows otherwise. */
  public List<Path> unpublished() {
    Path staging = root.resolve(STAGING);
    if (!Files.isDirectory(staging)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(staging)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(".unpublished")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Why {@code name} cannot name a checkpoint, if it cannot; for checking a command line early. */
  public static Optional<String> invalidNameReason(String name) {
    if (NAME.matcher(name).matches() && !ID.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of("invalid checkpoint name '" + name + "': use 1 to 64 letters, digits, '.', '_'"
        + " or '-', starting with a letter or digit, and not shaped like a checkpoint id");
  }

  /** Checks that a name may be used for a new checkpoint. */
  public void checkNameAvailable(String name) throws StoreException {
    if (name == null) {
      return;
    }
    Optional<String> invalid = invalidNameReason(name);
    if (invalid.isPresent()) {
      throw new StoreException(invalid.get());
    }
    Optional<StoredCheckpoint> existing = findByName(name);
    if (existing.isPresent()) {
      throw new NameTakenException(name, existing.get().id());
    }
  }

  /** Starts a checkpoint in the staging area. Leftovers of writers that died are cleared first. */
  public StagedCheckpoint stage(String name) throws StoreException {
    checkNameAvailable(name);
    clearAbandonedStaging();
    String id = ZonedDateTime.now(ZoneOffset.UTC).format(ID_TIME) + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    Path dir = root.resolve(STAGING).resolve(id + "." + ProcessHandle.current().pid());
    try {
      PrivateFiles.createDirectories(dir.resolve(IMAGES_DIR));
    } catch (IOException e) {
      throw new StoreException("cannot create a checkpoint under " + root + ": " + reason(e), e);
    }
    return new StagedCheckpoint(id, name, dir);
  }

  private void clearAbandonedStaging() {
    try (Stream<Path> entries = Files.list(root.resolve(STAGING))) {
      for (Path p : entries.collect(Collectors.toList())) {
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        if (dot < 0) {
          continue;
        }
        try {
          long owner = Long.parseLong(file.substring(dot + 1));
          if (ProcessHandle.of(owner).isEmpty()) {
            PrivateFiles.deleteTree(p);
          }
        } catch (NumberFormatException | IOException ignored) {
          // Not ours, or already gone: leave it.
        }
      }
    } catch (IOException ignored) {
      // Cleaning up is a courtesy; staging still works.
    }
  }

  /**
   * Compresses a staged checkpoint's page images with zstd ({@link PageCompression}), before it
   * is published. Returns the pages' bytes before and after.
   */
  public PageCompression.Sizes compressPages(StagedCheckpoint staged) throws StoreException {
    try {
      return PageCompression.compress(staged.imagesDir());
    } catch (IOException e) {
      throw new StoreException("cannot compress the checkpoint's pages in " + root + ": " + reason(e), e);
    } catch (LinkageError e) {
      throw new StoreException("cannot compress the checkpoint's pages: zstd is not available here (" + e.getMessage()
          + ")", e);
    }
  }

  /**
   * The directory CRIU restores {@code checkpoint} from: its own images, or for a compressed
   * checkpoint a private copy with the pages expanded, in the staging area (cleared with the
   * staging leftovers if this process dies). Give it back with {@link #release}.
   */
  public Path restorable(StoredCheckpoint checkpoint) throws StoreException {
    if (!checkpoint.compressed()) {
      return checkpoint.imagesDir();
    }
    Path dir = root.resolve(STAGING).resolve("restore-" + checkpoint.id() + "." + ProcessHandle.current().pid());
    try {
      PrivateFiles.deleteTree(dir);
      Path images = PrivateFiles.createDirectories(dir.resolve(IMAGES_DIR));
      PageCompression.expand(checkpoint.imagesDir(), images);
      return images;
    } catch (IOException | LinkageError e) {
      try {
        PrivateFiles.deleteTree(dir);
      } catch (IOException ignored) {
        // Cleared with the staging leftovers later.
      }
      throw new StoreException("cannot expand the compressed pages of checkpoint " + checkpoint.label() + " under "
          + root + ": " + (e instanceof IOException io ? reason(io) : "zstd is not available here (" + e.getMessage()
          + ")"), e);
    }
  }

  /** Deletes what {@link #restorable} made for a restore that no longer needs it; nothing for an uncompressed checkpoint. */
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
   * Does the expensive part of publishing ahead of time: restricts permissions, computes
   * checksums and flushes every file to disk. Optional; {@link #publish} does whatever is left.
   */
  public void prepare(StagedCheckpoint staged) throws StoreException {
    try {
      PrivateFiles.restrict(staged.directory());
      staged.describeFiles();
      PrivateFiles.fsyncTree(staged.directory());
    } catch (IOException e) {
      throw new StoreException("cannot save the checkpoint in " + root + ": " + reason(e), e);
    }
  }

  /**
   * Makes a staged checkpoint visible: restricts permissions, records every file's size and
   * CRC32C in the manifest, flushes everything to disk, and renames it into place.
   *
   * @param draft the manifest without files; id and name are taken from {@code staged}
   */
  public StoredCheckpoint publish(StagedCheckpoint staged, Manifest draft) throws StoreException {
    Path dir = staged.directory();
    try {
      PrivateFiles.restrict(dir);
      Manifest manifest = new Manifest(Manifest.FORMAT, staged.id(), staged.name(), draft.createdAt(),
          draft.host(), draft.source(), 0, List.of()).withFiles(staged.describeFiles());
      PrivateFiles.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
      PrivateFiles.fsyncTree(dir);
      Path target = root.resolve(CHECKPOINTS).resolve(staged.id());
      try (FileChannel lockFile = FileChannel.open(root.resolve(LOCK),
               Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
               PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
           FileLock ignored = lockFile.lock()) {
        checkNameAvailable(staged.name());
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.fsync(target.getParent());
      }
      return new StoredCheckpoint(target, manifest);
    } catch (NameTakenException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreException("cannot save the checkpoint in " + root + ": " + reason(e), e);
    }
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }

  /** Every published checkpoint whose manifest can be read, oldest first. */
  public List<StoredCheckpoint> list() throws StoreException {
    Path dir = root.resolve(CHECKPOINTS);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<StoredCheckpoint> result = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().collect(Collectors.toList())) {
        readManifest(p).ifPresent(m -> result.add(new StoredCheckpoint(p, m)));
      }
    } catch (IOException e) {
      throw new StoreException("cannot read the image store at " + root + ": " + reason(e), e);
    }
    result.sort(Comparator.comparing((StoredCheckpoint c) -> c.manifest().createdAt()).thenComparing(StoredCheckpoint::id));
    return result;
  }

  private Optional<Manifest> readManifest(Path checkpointDir) {
    try {
      return Optional.of(JSON.readValue(checkpointDir.resolve(MANIFEST).toFile(), Manifest.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<StoredCheckpoint> findByName(String name) throws StoreException {
    return list().stream().filter(c -> name.equals(c.manifest().name())).findFirst();
  }

  /**
   * The checkpoint with this id or name.
   *
   * @throws CheckpointNotFoundException when there is none
   * @throws CorruptCheckpointException when its directory exists but its manifest is unreadable
   */
  public StoredCheckpoint resolve(String reference) throws StoreException {
    if (ID.matcher(reference).matches()) {
      Path dir = root.resolve(CHECKPOINTS).resolve(reference);
      if (Files.isDirectory(dir)) {
        return readManifest(dir).map(m -> new StoredCheckpoint(dir, m)).orElseThrow(() ->
            new CorruptCheckpointException(reference, List.of(MANIFEST + " is missing or unreadable")));
      }
    }
    return findByName(reference).orElseThrow(() -> new CheckpointNotFoundException(reference));
  }

  /**
   * Checks every file against the manifest. Returns the problems found, empty when the
   * checkpoint is intact: missing, resized, altered or unexpected files.
   */
  public List<String> verify(StoredCheckpoint checkpoint) throws StoreException {
    return verify(checkpoint, true, true);
  }

  /**
   * {@link #verify} but for the contents of the page images, whose presence and sizes are still
   * checked: what a lazy restore checks before the processes run, since reading every page first
   * is what it avoids. {@link #verifyPageContents} checks the rest meanwhile.
   */
  public List<String> verifyAllButPageContents(StoredCheckpoint checkpoint) throws StoreException {
    return verify(checkpoint, false, true);
  }

  /** The checksums of the page images alone (see {@link #verifyAllButPageContents}). */
  public List<String> verifyPageContents(StoredCheckpoint checkpoint) throws StoreException {
    return verify(checkpoint, true, false);
  }

  private List<String> verify(StoredCheckpoint checkpoint, boolean pageContents, boolean otherContents)
      throws StoreException {
    List<String> problems = new ArrayList<>();
    Path dir = checkpoint.directory();
    if (checkpoint.manifest().format() > Manifest.FORMAT) {
      problems.add("it was written by a newer cryo (manifest format " + checkpoint.manifest().format()
          + "; this one reads up to " + Manifest.FORMAT + "): restore it with that version");
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
          problems.add(entry.path() + " has " + Files.size(file) + " bytes instead of " + entry.size());
        } else if (PageCompression.isPageImage(file.getFileName().toString()) ? pageContents : otherContents) {
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
        if (!relative.equals(MANIFEST) && !listed.contains(relative)) {
          problems.add(relative + " is not part of the checkpoint");
        }
      }
    } catch (NoSuchFileException e) {
      problems.add("the checkpoint directory is gone");
    } catch (IOException e) {
      throw new StoreException("cannot read checkpoint " + checkpoint.label() + ": " + reason(e), e);
    }
    return problems;
  }

  private static Optional<String> checksumProblem(Manifest.FileEntry entry, Path file, ByteBuffer buffer)
      throws IOException {
    if (entry.crc32c() != null) {
      return Checksums.crc32c(file, buffer).equals(entry.crc32c()) ? Optional.empty()
          : Optional.of(entry.path() + " does not match its CRC32C");
    }
    if (entry.sha256() != null) {
      return Checksums.sha256(file).equals(entry.sha256()) ? Optional.empty()
          : Optional.of(entry.path() + " does not match its SHA-256");
    }
    return Optional.of(entry.path() + " has no checksum in the manifest");
  }

  /** Like {@link #verify} but throws {@link CorruptCheckpointException} on any problem. */
  public void requireIntact(StoredCheckpoint checkpoint) throws StoreException {
    List<String> problems = verify(checkpoint);
    if (!problems.isEmpty()) {
      throw new CorruptCheckpointException(checkpoint.label(), problems);
    }
  }

  /** Removes a checkpoint: it disappears from listings in one rename, then its files are deleted. */
  public void delete(StoredCheckpoint checkpoint) throws StoreException {
    Path trash = root.resolve(TRASH).resolve(checkpoint.id() + "." + System.nanoTime());
    try {
      PrivateFiles.createDirectories(trash.getParent());
      Files.move(checkpoint.directory(), trash, StandardCopyOption.ATOMIC_MOVE);
      PrivateFiles.fsync(checkpoint.directory().getParent());
      PrivateFiles.deleteTree(trash);
    } catch (IOException e) {
      throw new StoreException("cannot delete checkpoint " + checkpoint.label() + ": " + reason(e), e);
    }
  }

  /** The manifest as it is stored, for display. */
  public String toJson(Manifest manifest) {
    try {
      return JSON.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
  }
}
