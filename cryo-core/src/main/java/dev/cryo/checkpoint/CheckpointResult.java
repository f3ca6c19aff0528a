package dev.cryo.checkpoint;

import dev.cryo.images.StoredCheckpoint;
import java.time.Duration;

/**
 * A checkpoint taken and stored.
 *
 * @param dumpTime how long CRIU took, from freezing the tree to its answer
 * @param totalTime the whole operation, checks and publication included
 */
public record CheckpointResult(StoredCheckpoint checkpoint, Duration dumpTime, Duration totalTime) {
}
