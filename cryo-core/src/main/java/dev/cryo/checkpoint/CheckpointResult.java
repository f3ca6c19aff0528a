package dev.cryo.checkpoint;

import dev.cryo.images.StoredCheckpoint;
import java.time.Duration;
import java.util.List;

/**
 * A checkpoint taken and stored.
 *
 * @param dumpTime how long CRIU took, from freezing the tree to its answer
 * @param totalTime the whole operation, checks and publication included
 * @param coordinatedPids the processes told through the coordination protocol (empty: a plain dump)
 */
public record CheckpointResult(StoredCheckpoint checkpoint, Duration dumpTime, Duration totalTime,
    List<Integer> coordinatedPids) {
}
