package dev.cryo.cli;

import dev.cryo.node.ClusterEvent;
import dev.cryo.supervisor.Event;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cryo events NAME}: what happened to a supervised program, and why. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Show a supervised program's events: starts, checkpoints, crashes, restores and the reasons for each.")
final class EventsCommand extends RunNameCommand {
  @Mixin ClusterOption cluster;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = cryo.spec.commandLine().getOut();
    if (cluster.enabled) {
      for (ClusterEvent event : cluster.connection.client().events(name)) {
        out.printf(
            "%s  %-10s  %-17s  %s%n",
            event.time().replaceFirst("\\.\\d+Z$", "Z"),
            event.node(),
            event.type(),
            event.message());
      }
      return ExitCode.OK.code();
    }
    for (Event event : cryo.runs().find(name).events().read()) {
      out.printf(
          "%s  %-17s  %s%n",
          event.time().replaceFirst("\\.\\d+Z$", "Z"), event.type(), event.message());
    }
    return ExitCode.OK.code();
  }
}
