package dev.cryo.recoverable.runtime;

import dev.cryo.recoverable.CheckpointHold;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Cryo;
import dev.cryo.runtime.Priority;
import dev.cryo.runtime.Resumption;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link RecoverableMemory} as a checkpoint resource: before the dump it waits for the
 * transaction in flight and holds new ones; afterwards it lets them run again. In a process
 * restored from the checkpoint, the region first catches up with its file, which may hold commits
 * made after the checkpoint by the process that went on and crashed; the listener hears how far
 * (docs/recoverable-memory.md, "Process checkpoints").
 *
 * <p>Register it right after opening the region, before the resources that write to it: resources
 * are told in reverse order before a checkpoint, so the writers are quiet by the time the region is
 * held, and in order after it, so the region has caught up by the time they resume.
 */
public final class RecoverableMemoryResource implements CheckpointResource {
  private final RecoverableMemory region;
  private final Consumer<CheckpointHold.Reconciliation> listener;
  private CheckpointHold hold;

  private RecoverableMemoryResource(
      RecoverableMemory region, Consumer<CheckpointHold.Reconciliation> listener) {
    this.region = region;
    this.listener = listener;
  }

  /**
   * Registers {@code region} with the Cryo runtime. {@code listener} is called after every
   * checkpoint, on the thread that resumes the resources, with the commit sequences then and now.
   */
  public static RecoverableMemoryResource register(
      RecoverableMemory region, Consumer<CheckpointHold.Reconciliation> listener) {
    RecoverableMemoryResource resource =
        new RecoverableMemoryResource(
            Objects.requireNonNull(region, "region"), Objects.requireNonNull(listener, "listener"));
    Cryo.register(resource, Priority.APPLICATION);
    return resource;
  }

  @Override
  public synchronized void beforeCheckpoint() throws Exception {
    hold = region.holdForCheckpoint();
  }

  @Override
  public synchronized void afterRestore(Resumption resumption) throws Exception {
    if (hold == null) {
      return;
    }
    CheckpointHold.Reconciliation reconciliation = hold.release(resumption == Resumption.RESTORED);
    hold = null;
    listener.accept(reconciliation);
  }

  @Override
  public String toString() {
    return "cryo-recoverable-memory " + region.file();
  }
}
