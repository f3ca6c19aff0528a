package dev.cryo.checkpoint;

import dev.cryo.criu.CriuImages;
import dev.cryo.images.StoredCheckpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process tree brought back.
 *
 * @param pid the restored root's PID
 * @param verifyTime checking the images against their manifest
 * @param restoreTime CRIU's restore, until the tree runs
 * @param log CRIU's log of the restore
 * @param criuStats what CRIU says of its restore, or null if it wrote nothing
 */
public record RestoreResult(
    int pid,
    StoredCheckpoint checkpoint,
    Duration verifyTime,
    Duration restoreTime,
    Path log,
    CriuImages.RestoreStats criuStats) {}
