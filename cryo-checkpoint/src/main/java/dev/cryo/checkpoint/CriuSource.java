package dev.cryo.checkpoint;

import dev.cryo.criu.CriuClient;
import dev.cryo.criu.CriuUnavailableException;

/**
 * Where the service gets its CRIU, looked up only when an operation needs it, so that input errors
 * are reported before a missing CRIU is.
 */
@FunctionalInterface
public interface CriuSource {
  Criu get() throws CriuUnavailableException;

  /** The {@code criu} found on this PATH, checked to be recent enough. */
  static CriuSource onPath(String path) {
    return () -> Criu.of(CriuClient.locate(path));
  }
}
