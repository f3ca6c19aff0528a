package dev.cryo.checkpoint;

import dev.cryo.protocol.Request;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a restore tells the restored processes beyond "you were restored": the configuration a copy
 * needs to differ from the original it was taken from.
 *
 * @param properties system properties the restored JVMs set before their resources hear of the
 *     restore (a port, for instance), as a CRaC restore's {@code -D} options do
 * @param controlDir where restored participants move their control sockets, so that a second live
 *     copy of a checkpoint does not share the original's; null to leave them where they were
 * @param besideOriginal whether the original may still be running: its control sockets are then
 *     kept out of CRIU's way while the copy is restored (see {@code SocketFilesAside})
 * @param substitutedFiles files the restored processes get instead of those they had open at these
 *     paths (a copy's own log files instead of the original's)
 * @param lazyPages whether the processes run before their memory is in place: a {@code criu
 *     lazy-pages} daemon copies each page in on its first touch and the rest in the background, so
 *     that the restore does not wait for the whole image to be read
 * @param network the existing network namespace (its file, such as {@code /run/netns/NAME}) that a
 *     checkpoint taken with {@link CheckpointRequest#network} is restored into; null for others
 */
public record RestoreOptions(
    Map<String, String> properties,
    Path controlDir,
    boolean besideOriginal,
    Map<Path, Path> substitutedFiles,
    boolean lazyPages,
    Path network) {
  public RestoreOptions {
    properties = Map.copyOf(properties);
    substitutedFiles = Map.copyOf(substitutedFiles);
  }

  /** Options for a checkpoint whose network, if its own, is part of it. */
  public RestoreOptions(
      Map<String, String> properties,
      Path controlDir,
      boolean besideOriginal,
      Map<Path, Path> substitutedFiles,
      boolean lazyPages) {
    this(properties, controlDir, besideOriginal, substitutedFiles, lazyPages, null);
  }

  /** The same options, restoring into the existing network namespace {@code file}. */
  public RestoreOptions withNetwork(Path file) {
    return new RestoreOptions(
        properties, controlDir, besideOriginal, substitutedFiles, lazyPages, file);
  }

  /**
   * The protocol's {@code restored} message that carries these options to a restored participant.
   */
  Request.Restored restoredMessage(String checkpointId) {
    return new Request.Restored(
        checkpointId,
        properties,
        controlDir == null ? null : controlDir.toAbsolutePath().toString());
  }
}
