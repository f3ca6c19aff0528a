package dev.cryo.node;

import dev.cryo.supervisor.RunSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node is set up ({@code cryo node}'s options).
 *
 * @param name the node's name in the cluster (its certificate's name)
 * @param leaseTtl how long its lease lives without renewal: how soon a lost host is replaced
 * @param stateDir where it keeps its lease, fences and program records (private)
 * @param remote the cluster's remote repository, as its runs upload to it
 */
public record NodeSettings(String name, Duration leaseTtl, Path stateDir, RunSpec.Remote remote) {
  public NodeSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(remote, "remote");
    if (leaseTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("the lease TTL must be at least 2 s");
    }
  }

  /**
   * Why {@code name} cannot name a node, if it cannot: it is a key in etcd and a certificate's CN.
   */
  public static Optional<String> invalidNameReason(String name) {
    if (!name.matches("[a-z0-9][a-z0-9.-]{0,62}")) {
      return Optional.of(
          "invalid node name '"
              + name
              + "': use lower-case letters, digits, dots and dashes (at most 63), starting with a"
              + " letter or digit");
    }
    return Optional.empty();
  }
}
