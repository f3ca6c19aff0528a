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
 * @param coordinatedPids the processes told through the coordination protocol (empty: a plain dump)
 * @param compression the page images' sizes before and after compression, if they were compressed
 */
public record CheckpointResult(StoredCheckpoint checkpoint, Duration dumpTime, Duration totalTime,
    List<Integer> coordinatedPids, Optional<PageCompression.Sizes> compression) {
}
