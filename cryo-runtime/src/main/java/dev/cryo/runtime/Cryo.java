package dev.cryo.runtime;

import dev.cryo.runtime.agent.RuntimeBootstrap;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The runtime's API for applications: register what must act around checkpoints, and ask for a
 * checkpoint of this process. Code written for {@code org.crac} needs none of this: with the agent
 * (or {@code -Dorg.crac.Core.Compat=dev.cryo.runtime.crac}) {@code org.crac} uses the same runtime.
 */
public final class Cryo {
  private Cryo() {}

  /**
   * Registers an application resource with the default timeout ({@code -Dcryo.resource.timeout}, 10
   * s).
   */
  public static void register(CheckpointResource resource) {
    register(resource, Priority.APPLICATION);
  }

  public static void register(CheckpointResource resource, Priority priority) {
    register(resource, priority, RuntimeBootstrap.get().defaultTimeout());
  }

  /**
   * Registers a resource. If its {@code beforeCheckpoint} takes longer than {@code timeout}, the
   * checkpoint is refused and cryo reports the resource by name.
   */
  public static void register(CheckpointResource resource, Priority priority, Duration timeout) {
    RuntimeBootstrap.get().registry().register(resource, priority, timeout);
  }

  /**
   * Checkpoints this process and returns once it continues: right away in the original process when
   * {@code -Dcryo.checkpoint.leaveRunning=true}, otherwise (as with CRaC) only in a process
   * restored from the checkpoint, the original having ended after the dump. Resources are notified
   * on the calling thread. {@code cryo} is started to take the checkpoint (see docs/runtime.md for
   * how it is found and which store and name it uses).
   *
   * @return how the process continues: {@link Resumption#RESTORED} or {@link Resumption#RESUMED}
   * @throws CheckpointRefusedException no checkpoint was taken; the process continues unchanged
   * @throws RestoreIncompleteException the checkpoint was taken, but some resources failed
   *     afterwards
   */
  public static Resumption checkpointRestore()
      throws CheckpointRefusedException, RestoreIncompleteException {
    return RuntimeBootstrap.get().participation().checkpointRestore();
  }

  /**
   * When this process was last restored from a checkpoint, by the wall clock; empty in a process
   * that never was. What {@code CRaCMXBean.getRestoreTime()} gives on a CRaC JDK.
   */
  public static Optional<Instant> lastRestore() {
    return RuntimeBootstrap.get().participation().lastRestore();
  }

  /** The control socket cryo talks to, if it could be opened in this process. */
  public static Optional<Path> controlSocket() {
    return RuntimeBootstrap.get().controlSocket();
  }
}
