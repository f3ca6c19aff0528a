package dev.cryo.runtime.agent;

import dev.cryo.runtime.Priority;
import dev.cryo.runtime.config.RuntimeLog;
import dev.cryo.runtime.config.RuntimeSettings;
import dev.cryo.runtime.control.CheckpointParticipation;
import dev.cryo.runtime.control.ControlServer;
import dev.cryo.runtime.control.SelfCheckpointLauncher;
import dev.cryo.runtime.jvm.HeapTrim;
import dev.cryo.runtime.jvm.PerfDataFile;
import dev.cryo.runtime.jvm.RandomReseed;
import dev.cryo.runtime.jvm.RestoreHazards;
import dev.cryo.runtime.jvm.ScheduledTaskClock;
import dev.cryo.runtime.notify.ResourceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The runtime of this process, started once: by the agent at JVM start, or by the first use of the
 * API when the jar is only on the class path. It registers the JVM's housekeeping resources and
 * opens the control socket through which cryo tells it of checkpoints.
 */
public final class RuntimeBootstrap {
  private static RuntimeBootstrap instance;

  private final ResourceRegistry registry = new ResourceRegistry();
  private final Duration defaultTimeout = RuntimeSettings.resourceTimeout();
  private final CheckpointParticipation participation;
  private final ControlServer control;

  private RuntimeBootstrap() {
    Duration jvmTimeout = Duration.ofMinutes(1);
    // Registered first, so notified last before the dump and first after it.
    registry.register(new ScheduledTaskClock(), Priority.JVM, jvmTimeout);
    registry.register(new RandomReseed(), Priority.JVM, jvmTimeout);
    registry.register(new PerfDataFile(), Priority.JVM, jvmTimeout);
    registry.register(new HeapTrim(), Priority.JVM, jvmTimeout);
    control = openControlServer();
    if (control == null) {
      participation =
          new CheckpointParticipation(registry, ArrayList::new, new SelfCheckpointLauncher(null));
      return;
    }
    Path checkpointLog =
        control.socketPath().resolveSibling(ProcessHandle.current().pid() + ".checkpoint.log");
    participation =
        new CheckpointParticipation(
            registry,
            new RestoreHazards(control::socketPath),
            new SelfCheckpointLauncher(checkpointLog));
    control.serve(participation);
    RuntimeLog.debug("control socket " + control.socketPath());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  control.close();
                  try {
                    Files.deleteIfExists(checkpointLog);
                  } catch (IOException e) {
                    // Left behind in a private directory; the next process with this PID overwrites
                    // it.
                  }
                },
                "cryo-control-cleanup"));
  }

  /**
   * The control socket, or null (with a warning) where it cannot be opened: cryo cannot tell this
   * process of checkpoints then.
   */
  private static ControlServer openControlServer() {
    try {
      return ControlServer.open();
    } catch (IOException | RuntimeException e) {
      RuntimeLog.warn(
          "this process cannot take part in checkpoints: the control socket could not be opened ("
              + e.getMessage()
              + ")");
      return null;
    }
  }

  public static synchronized RuntimeBootstrap get() {
    if (instance == null) {
      instance = new RuntimeBootstrap();
    }
    return instance;
  }

  public ResourceRegistry registry() {
    return registry;
  }

  public CheckpointParticipation participation() {
    return participation;
  }

  public Optional<Path> controlSocket() {
    return Optional.ofNullable(control).map(ControlServer::socketPath);
  }

  /**
   * The per-resource timeout for resources registered without their own, read once from the
   * settings.
   */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }
}
