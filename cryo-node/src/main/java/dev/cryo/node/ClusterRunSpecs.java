package dev.cryo.node;

import dev.cryo.supervisor.RunSpec;
import java.time.Duration;

/** How a cluster program becomes a local run on its owner: {@code cryo run}'s spec, placed. */
final class ClusterRunSpecs {
  private ClusterRunSpecs() {}

  /**
   * @param network the program's network namespace, or null for the host's
   * @param fence the fence file of the lease the node owns the program under
   * @param startFrom the published checkpoint to restore first, or null for a cold start
   */
  static RunSpec of(
      ClusterProgram program,
      RunSpec.Remote remote,
      String network,
      String fence,
      String startFrom,
      String createdAt) {
    return RunSpec.builder(program.name(), program.command())
        .workingDirectory(program.workingDirectory())
        .environment(program.environment())
        .every(Duration.ofMillis(program.everyMillis()))
        .keep(program.keep())
        .coldStart(true)
        .createdAt(createdAt)
        .remote(remote)
        .network(network)
        .fence(fence)
        .startFrom(startFrom)
        .build();
  }
}
