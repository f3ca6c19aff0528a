package dev.cryo.repository;

import java.time.Instant;
import java.util.List;

/**
 * A flat namespace of whole objects under one prefix: what a remote repository needs from S3, or
 * from a directory that several hosts share. Objects are written whole and never changed: {@link
 * #put} either stores all of an object or nothing, so a reader never sees half of one. Keys are
 * relative to the store's prefix and use {@code /} between parts.
 *
 * <p>Implementations report failures as {@link ObjectStoreException} subclasses that say what the
 * user can do: {@link ObjectStoreAccessDeniedException}, {@link ObjectStoreMissingException},
 * {@link ObjectStoreUnavailableException} (worth retrying) and {@link ObjectNotFoundException}.
 */
public interface ObjectStore {
  /** Makes the bucket or directory that holds the objects, if it does not exist yet. */
  void createIfMissing() throws ObjectStoreException;

  /** Stores {@code bytes} as the object {@code key}, replacing any object of that key. */
  void put(String key, byte[] bytes) throws ObjectStoreException;

  /**
   * The whole object.
   *
   * @throws ObjectNotFoundException when there is no object of this key
   */
  byte[] get(String key) throws ObjectStoreException;

  /**
   * {@code length} bytes of the object from {@code offset}: a part of a pack, without the rest.
   *
   * @throws ObjectNotFoundException when there is no object of this key
   * @throws ObjectStoreException when the object is shorter than the range
   */
  byte[] getRange(String key, long offset, int length) throws ObjectStoreException;

  /** The objects whose keys start with {@code prefix}, in key order. */
  List<StoredObject> list(String prefix) throws ObjectStoreException;

  /** Whether there is an object of exactly this key. */
  default boolean exists(String key) throws ObjectStoreException {
    return list(key).stream().anyMatch(object -> object.key().equals(key));
  }

  /** Removes the object; nothing if there is none. */
  void delete(String key) throws ObjectStoreException;

  /** Where the objects are, as the user wrote it: {@code s3://bucket/prefix} or a directory. */
  String location();

  /** One listed object: its key (relative to the store's prefix), its size and when it was put. */
  record StoredObject(String key, long size, Instant lastModified) {}
}
