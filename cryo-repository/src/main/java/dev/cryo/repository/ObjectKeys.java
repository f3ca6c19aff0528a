package dev.cryo.repository;

/**
 * The layout of a repository on its object store. {@code config} names the repository and holds its
 * sealed settings; {@code packs/} holds the chunks, sealed one by one and packed a few MiB to an
 * object; {@code indexes/} holds, per pack, the sealed list of its chunks and where each lies;
 * {@code checkpoints/} holds one sealed manifest per checkpoint, written after every pack it needs;
 * {@code locks/} holds the markers of pushes and prunes under way.
 */
final class ObjectKeys {
  static final String CONFIG = "config";
  static final String PACKS = "packs/";
  static final String INDEXES = "indexes/";
  static final String CHECKPOINTS = "checkpoints/";
  static final String LOCKS = "locks/";

  private ObjectKeys() {}

  /** Packs are spread over 256 directories: some stores list large directories slowly. */
  static String pack(String packId) {
    return PACKS + packId.substring(0, 2) + "/" + packId;
  }

  /** The pack id an object key under {@code packs/} or {@code indexes/} names. */
  static String packIdOf(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  static String index(String packId) {
    return INDEXES + packId;
  }

  /**
   * What a chunk is sealed under: its id, not its place, so that a chunk moved to another pack
   * still opens, and one put in another's place does not.
   */
  static String chunkContext(String chunkId) {
    return "chunk/" + chunkId;
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
