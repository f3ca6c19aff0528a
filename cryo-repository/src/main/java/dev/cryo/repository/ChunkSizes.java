package dev.cryo.repository;

/**
 * The sizes a repository's chunker aims at, fixed when the repository is made: every host must cut
 * the same way for equal content to deduplicate. Smaller chunks find more of an image unchanged;
 * larger ones cost fewer objects and requests.
 */
record ChunkSizes(int min, int average, int max) {
  /**
   * 32 KiB on average: a page changed here and there costs 32 KiB, not a larger chunk; packs keep
   * the number of objects down.
   */
  static final ChunkSizes DEFAULT = new ChunkSizes(8 << 10, 32 << 10, 256 << 10);

  ChunkSizes {
    if (min <= 0 || Integer.bitCount(average) != 1 || min >= average || average >= max) {
      throw new IllegalArgumentException(
          "chunk sizes need 0 < min < average < max, average a power of two: "
              + min
              + ", "
              + average
              + ", "
              + max);
    }
  }
}
