package dev.cryo.repository;

import java.time.Duration;

/**
 * What a push or pull did.
 *
 * @param checkpointBytes the size of the checkpoint's files
 * @param transferredBytes the bytes sent to or received from the object store (compressed,
 *     encrypted, and only the chunks that were missing)
 * @param chunks the chunks the checkpoint is made of
 * @param transferredChunks those that were sent or received
 * @param elapsed how long it took
 */
public record TransferSummary(
    long checkpointBytes,
    long transferredBytes,
    int chunks,
    int transferredChunks,
    Duration elapsed) {

  /**
   * The checkpoint's size over what was transferred: how much deduplication and compression saved.
   */
  public double reduction() {
    return transferredBytes == 0
        ? Double.POSITIVE_INFINITY
        : (double) checkpointBytes / transferredBytes;
  }
}
