package dev.cryo.checkpoint;

import dev.cryo.images.PageCompression;
import dev.cryo.images.StoredCheckpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint taken and stored.
 *
 * @param dumpTime how long CRIU took, from freezing the tree to its answer
 * @param totalTime the whole operation, checks and publication included
 * @param participantPids the processes told through the checkpoint protocol (empty: a plain dump)
 * @param compression the page images' sizes before and after compression, if they were compressed
 * @param listeners what the tree did with its listening sockets when told {@code pending}
 */
public record CheckpointResult(
    StoredCheckpoint checkpoint,
    Duration dumpTime,
    Duration totalTime,
    List<Integer> participantPids,
    Optional<PageCompression.Sizes> compression,
    Listeners listeners) {
  /** What a tree did with its listening TCP sockets when told {@code pending}. */
  public enum Listeners {
    /** It listened on no port, or was not told: nothing learned. */
    NONE,
    /** It kept every listener open through the checkpoint, as a plain program does. */
    KEPT_OPEN,
    /** It closed a listener (as programs written for CRaC do), so its new clients were held. */
    CLOSED
  }
}
