package dev.cryo.runtime;

/**
 * Something in the application that must act around a checkpoint: close what cannot survive a
 * restore (connections, selectors, file handles on other hosts) before the dump, and open it again
 * afterwards.
 *
 * <p>Before a checkpoint, resources are notified in the reverse order of their registration,
 * application resources before the JVM's own; after it, in registration order, the JVM's first. A
 * resource that throws from {@link #beforeCheckpoint()} refuses the checkpoint: the process carries
 * on, and the resources already notified get {@link #afterRestore} with {@link Resumption#ABORTED}.
 */
public interface CheckpointResource {

  /** Prepares for a checkpoint; throwing refuses it, with the exception's message as the reason. */
  void beforeCheckpoint() throws Exception;

  /** Takes up work again after the checkpoint, however it ended ({@code resumption} tells how). */
  void afterRestore(Resumption resumption) throws Exception;
}
