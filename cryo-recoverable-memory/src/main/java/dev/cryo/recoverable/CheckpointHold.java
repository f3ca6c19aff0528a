package dev.cryo.recoverable;

import java.io.IOException;

/**
 * A region held still while its process is checkpointed: no transaction runs between {@link
 * RecoverableMemory#holdForCheckpoint()} and {@link #release}, both called on one thread (a
 * checkpoint resource's {@code beforeCheckpoint} and {@code afterRestore}).
 */
public final class CheckpointHold {
  private final RecoverableMemory region;
  private final long sequenceAtCheckpoint;
  private boolean released;

  CheckpointHold(RecoverableMemory region, long sequenceAtCheckpoint) {
    this.region = region;
    this.sequenceAtCheckpoint = sequenceAtCheckpoint;
  }

  /**
   * What the region holds after a checkpoint, compared with what it held at the checkpoint. In a
   * restored process {@code sequenceNow} may be ahead of {@code sequenceAtCheckpoint}: the commits
   * in between were made after the checkpoint and survived the crash that followed, and the rest of
   * the application's memory, restored from the image, does not know of them.
   *
   * @param sequenceAtCheckpoint the last commit when the checkpoint was taken
   * @param sequenceNow the last commit in the region now
   * @param restored whether this process was restored from the checkpoint (rather than resumed)
   */
  public record Reconciliation(long sequenceAtCheckpoint, long sequenceNow, boolean restored) {
    /** Commits the restored image does not know of. */
    public long commitsSinceCheckpoint() {
      return sequenceNow - sequenceAtCheckpoint;
    }
  }

  public long sequenceAtCheckpoint() {
    return sequenceAtCheckpoint;
  }

  /**
   * Lets transactions run again, after the region has caught up with its file if this process was
   * restored. Call it once, on the thread that took the hold.
   */
  public synchronized Reconciliation release(boolean restored) throws IOException {
    if (released) {
      throw new IllegalStateException("this checkpoint hold was already released");
    }
    Reconciliation reconciliation = region.release(this, restored);
    released = true;
    return reconciliation;
  }
}
