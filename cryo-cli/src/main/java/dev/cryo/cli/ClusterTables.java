package dev.cryo.cli;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.node.ClusterJson;
import dev.cryo.node.ClusterProgram;
import dev.cryo.node.ClusterView;
import dev.cryo.node.PublishedCheckpoint;
import dev.cryo.node.placement.NodeFacts;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** The tables {@code cryo ps --cluster} and {@code cryo cluster status} print. */
final class ClusterTables {
  private ClusterTables() {}

  static void programs(ClusterView view, PrintWriter out) {
    String format = "%-20s  %-10s  %-10s  %8s  %-15s  %-12s%n";
    out.printf(format, "NAME", "OWNER", "STATUS", "PID", "ADDRESS", "CHECKPOINT");
    Instant now = Instant.now();
    for (String name : view.programNames()) {
      ClusterProgram spec = view.spec(name).orElseThrow();
      String owner = view.owner(name).map(KeyValue::value).orElse("-");
      String status =
          view.status(name)
              .filter(s -> view.owner(name).isPresent() || "stopped".equals(s.status()))
              .map(s -> s.status())
              .orElse(view.stopRequested(name) ? "stopping" : "waiting");
      int pid = view.owner(name).isPresent() ? view.status(name).map(s -> s.pid()).orElse(0) : 0;
      Optional<PublishedCheckpoint> checkpoint = view.checkpoint(name);
      out.printf(
          format,
          name,
          owner,
          status,
          pid == 0 ? "-" : Integer.toString(pid),
          spec.address() == null ? "-" : spec.address(),
          checkpoint.map(c -> age(c.at(), now) + " ago").orElse("none"));
    }
  }

  static void nodes(ClusterView view, PrintWriter out) {
    String leader = view.leader().orElse("");
    String format = "%-12s  %-8s  %-17s  %8s  %10s  %-21s  %s%n";
    out.printf(format, "NODE", "HEALTH", "LEASE", "PROGRAMS", "MEM FREE", "API", "KERNEL / CRIU");
    for (Map.Entry<String, KeyValue> node : view.nodes().entrySet()) {
      NodeFacts facts = ClusterJson.read(node.getValue().value(), NodeFacts.class);
      out.printf(
          format,
          node.getKey() + (node.getKey().equals(leader) ? "*" : ""),
          "live",
          Long.toHexString(node.getValue().lease()),
          view.ownedBy(node.getKey()),
          (facts.memoryAvailableBytes() >> 20) + " MiB",
          facts.apiAddress(),
          facts.kernel() + " / " + facts.criuVersion());
    }
    out.println("(* the leader, which places programs; a node whose lease expired is not listed)");
  }

  private static String age(String time, Instant now) {
    try {
      return PsCommand.age(Duration.between(Instant.parse(time), now));
    } catch (DateTimeParseException e) {
      return "?";
    }
  }
}
