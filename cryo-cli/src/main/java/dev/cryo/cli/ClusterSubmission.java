package dev.cryo.cli;

import dev.cryo.linux.HostFacts;
import dev.cryo.node.ClusterClient;
import dev.cryo.node.ClusterEvent;
import dev.cryo.node.ClusterProgram;
import dev.cryo.node.ClusterView;
import dev.cryo.node.ProgramStatus;
import dev.cryo.node.placement.FileFingerprints;
import dev.cryo.node.placement.ProgramRequirements;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.RunStatus;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code cryo run --cluster}: records a program in the cluster and waits until a node runs it (or
 * says why none can).
 */
final class ClusterSubmission {
  private static final Duration START_WAIT = Duration.ofSeconds(180);

  /**
   * Variables of the submitting shell that are the submitter's, not the program's: how to reach the
   * cluster and the repository, and credentials. They are not stored with the program.
   */
  private static final List<String> SUBMITTER_ONLY =
      List.of("CRYO_CLUSTER_", "CRYO_ETCD_", "CRYO_REPOSITORY", "AWS_");

  private ClusterSubmission() {}

  /** Parses {@code --address}: a literal IPv4 address, never a name to resolve. */
  static Optional<String> invalidAddressReason(String address) {
    if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return Optional.of("--address must be an IPv4 address such as 198.18.1.10, not " + address);
    }
    try {
      InetAddress parsed = InetAddress.getByName(address);
      if (!(parsed instanceof Inet4Address)
          || parsed.isAnyLocalAddress()
          || parsed.isLoopbackAddress()
          || parsed.isMulticastAddress()) {
        return Optional.of("--address " + address + " cannot be a service address");
      }
    } catch (UnknownHostException e) {
      return Optional.of("--address must be an IPv4 address such as 198.18.1.10, not " + address);
    }
    return Optional.empty();
  }

  static int submit(CryoCommand cryo, ClusterClient client, RunSpec local, String address)
      throws Exception {
    Map<String, String> environment = new TreeMap<>(local.environment());
    environment.keySet().removeIf(k -> SUBMITTER_ONLY.stream().anyMatch(k::startsWith));
    ProgramRequirements requirements =
        ProgramRequirements.of(
            local.command(),
            Path.of(local.workingDirectory()),
            environment,
            new FileFingerprints());
    ClusterProgram program =
        new ClusterProgram(
            local.name(),
            local.command(),
            local.workingDirectory(),
            environment,
            address,
            local.everyMillis(),
            local.keep(),
            requirements,
            HostFacts.hostname(),
            Instant.now().toString());
    client.submit(program);
    PrintWriter out = cryo.spec.commandLine().getOut();
    PrintWriter err = cryo.spec.commandLine().getErr();
    out.println(program.name());
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    String waitingSaid = null;
    while (System.nanoTime() < deadline) {
      ClusterView view = client.view();
      Optional<ProgramStatus> status = view.status(program.name());
      if (status.isPresent() && status.get().status().equals(RunStatus.RUNNING.label())) {
        err.printf(
            "submitted %s: running on %s (PID %d there)%s; 'cryo events %s --cluster' tells what"
                + " happens to it%n",
            program.name(),
            status.get().node(),
            status.get().pid(),
            address == null ? "" : ", serving at " + address,
            program.name());
        return ExitCode.OK.code();
      }
      if (status.isPresent() && status.get().status().equals(RunStatus.FAILED.label())) {
        throw new RunCommand.RunNotStartedException(program.name(), status.get().detail());
      }
      Optional<ClusterEvent> waiting =
          client.events(program.name()).stream()
              .filter(e -> e.type().equals("waiting"))
              .reduce((a, b) -> b);
      if (waiting.isPresent() && !waiting.get().message().equals(waitingSaid)) {
        waitingSaid = waiting.get().message();
        err.println("note: " + program.name() + " is " + waitingSaid);
        if (view.owner(program.name()).isEmpty()) {
          err.println(
              "It stays submitted, and starts when a node fits it; 'cryo stop "
                  + program.name()
                  + " --cluster' withdraws it.");
          return ExitCode.OK.code();
        }
      }
      Thread.sleep(200);
    }
    err.println(
        "note: "
            + program.name()
            + " was submitted but is not running yet; 'cryo events "
            + program.name()
            + " --cluster' says why");
    return ExitCode.OK.code();
  }
}
