package dev.cryo.repository;

/**
 * The layout of a repository on its object store. {@code config} names the repository and holds its
 * sealed settings; {@code chunks/} holds every chunk once, under its keyed id; {@code checkpoints/}
 * holds one sealed manifest per checkpoint, written after all of its chunks; {@code locks/} holds
 * the markers of pushes and prunes under way.
 */
final class ObjectKeys {
  static final String CONFIG = "config";
  static final String CHUNKS = "chunks/";
  static final String CHECKPOINTS = "checkpoints/";
  static final String LOCKS = "locks/";

  private ObjectKeys() {}

  /** Chunks are spread over 256 directories: some stores list large directories slowly. */
  static String chunk(String id) {
    return CHUNKS + id.substring(0, 2) + "/" + id;
  }

  /** The chunk id an object key under {@code chunks/} names. */
  static String chunkIdOf(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  static String checkpoint(String checkpointId) {
    return CHECKPOINTS + checkpointId;
  }

  static String checkpointIdOf(String key) {
    return key.substring(CHECKPOINTS.length());
  }

  static String lock(String lockId) {
    return LOCKS + lockId;
  }
}
