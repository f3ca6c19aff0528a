package dev.cryo.repository;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} on a directory, such as a file system that several hosts mount: each
 * object is a private file named by its key. A put writes a temporary file and renames it into
 * place, so a reader sees a whole object or none.
 */
public final class DirectoryObjectStore implements ObjectStore {
  private static final String TEMPORARY_PREFIX = ".incoming-";

  private final Path root;

  /** A store on {@code root}, which must exist (a repository is made with {@code repo init}). */
  public DirectoryObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Creates the directory, private to its owner. */
  @Override
  public void createIfMissing() throws ObjectStoreException {
    try {
      PrivateFiles.createDirectories(root);
    } catch (IOException e) {
      throw failure("cannot create the directory", e);
    }
  }

  @Override
  public void put(String key, byte[] bytes) throws ObjectStoreException {
    Path target = pathOf(key);
    requireRoot();
    Path temporary = target.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID());
    try {
      PrivateFiles.createDirectories(target.getParent());
      PrivateFiles.write(temporary, bytes);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      PrivateFiles.fsync(target.getParent());
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw failure("cannot write " + key, e);
    }
  }

  @Override
  public byte[] get(String key) throws ObjectStoreException {
    try {
      return Files.readAllBytes(pathOf(key));
    } catch (NoSuchFileException e) {
      throw missing(key);
    } catch (IOException e) {
      throw failure("cannot read " + key, e);
    }
  }

  @Override
  public byte[] getRange(String key, long offset, int length) throws ObjectStoreException {
    try (FileChannel channel = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
      ByteBuffer range = ByteBuffer.allocate(length);
      while (range.hasRemaining()) {
        if (channel.read(range, offset + range.position()) < 0) {
          throw new ObjectStoreException(
              "object " + key + " in " + location() + " ends before byte " + (offset + length));
        }
      }
      return range.array();
    } catch (NoSuchFileException e) {
      throw missing(key);
    } catch (IOException e) {
      throw failure("cannot read " + key, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) throws ObjectStoreException {
    requireRoot();
    List<StoredObject> objects = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        String key = keyOf(file);
        if (key.startsWith(prefix) && !file.getFileName().toString().startsWith(TEMPORARY_PREFIX)) {
          objects.add(
              new StoredObject(key, Files.size(file), Files.getLastModifiedTime(file).toInstant()));
        }
      }
    } catch (NoSuchFileException e) {
      // A file deleted while listing: it is simply not listed.
    } catch (IOException e) {
      throw failure("cannot list " + location(), e);
    }
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  @Override
  public void delete(String key) throws ObjectStoreException {
    try {
      Files.deleteIfExists(pathOf(key));
    } catch (IOException e) {
      throw failure("cannot delete " + key, e);
    }
  }

  @Override
  public String location() {
    return root.toString();
  }

  private Path pathOf(String key) throws ObjectStoreException {
    Path path = root.resolve(key).normalize();
    if (key.isEmpty() || key.startsWith("/") || !path.startsWith(root) || path.equals(root)) {
      throw new ObjectStoreException("invalid object key '" + key + "'");
    }
    return path;
  }

  private String keyOf(Path file) {
    return root.relativize(file).toString();
  }

  /** Why there is no object of {@code key}: no such object, or no store at all. */
  private ObjectStoreException missing(String key) throws ObjectStoreMissingException {
    requireRoot();
    return new ObjectNotFoundException("object " + key + " is missing from " + location());
  }

  private void requireRoot() throws ObjectStoreMissingException {
    if (!Files.isDirectory(root)) {
      throw new ObjectStoreMissingException(
          "directory " + root + " does not exist; create the repository with 'cryo repo init'");
    }
  }

  private ObjectStoreException failure(String what, IOException e) {
    if (e instanceof AccessDeniedException) {
      return new ObjectStoreAccessDeniedException(
          what + " in " + location() + ": permission denied", e);
    }
    return new ObjectStoreException(what + " in " + location() + ": " + e.getMessage(), e);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover temporary file is never listed.
    }
  }
}
