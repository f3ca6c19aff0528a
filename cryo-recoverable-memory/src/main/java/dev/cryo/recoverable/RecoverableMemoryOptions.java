package dev.cryo.recoverable;

/**
 * How to create a region.
 *
 * @param dataSize bytes of recoverable memory for the application
 * @param undoCapacity bytes of undo log: bounds how much one transaction may declare (each declared
 *     range costs its length rounded up to 8, plus 16)
 * @param durability what a commit survives
 */
public record RecoverableMemoryOptions(long dataSize, long undoCapacity, Durability durability) {
  public RecoverableMemoryOptions {
    if (dataSize <= 0) {
      throw new IllegalArgumentException("dataSize must be positive, not " + dataSize);
    }
    if (undoCapacity < 64) {
      throw new IllegalArgumentException(
          "undoCapacity must be at least 64 bytes, not " + undoCapacity);
    }
    if (durability == null) {
      throw new IllegalArgumentException("durability is required");
    }
  }

  /**
   * A region of {@code dataSize} bytes whose undo log is a sixteenth of that, between 64 KiB and 64
   * MiB.
   */
  public static RecoverableMemoryOptions of(long dataSize, Durability durability) {
    long undo = Math.max(64 * 1024, Math.min(64L << 20, dataSize / 16));
    return new RecoverableMemoryOptions(dataSize, undo, durability);
  }
}
