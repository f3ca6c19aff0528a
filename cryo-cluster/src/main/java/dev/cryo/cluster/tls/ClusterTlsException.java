package dev.cryo.cluster.tls;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the cluster's TLS material cannot be used: missing, unreadable, not PEM, or a key that
 * does not belong to its certificate. The message names the file and says what to do.
 */
public class ClusterTlsException extends IOException {
  private final Path file;

  public ClusterTlsException(Path file, String message) {
    super(message);
    this.file = file;
  }

  public ClusterTlsException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
