package dev.cryo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cryo cluster}: commands about a cluster as a whole, such as its certificate authority. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Manage a cluster of hosts: its certificate authority, certificates and status.",
    subcommands = {ClusterInitCommand.class, ClusterIssueCommand.class, ClusterStatusCommand.class})
final class ClusterCommand implements Runnable {
  @ParentCommand CryoCommand cryo;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Rejects an argument of {@code subcommand} as a usage error. */
  ParameterException usageError(String subcommand, String message) {
    return new ParameterException(spec.commandLine().getSubcommands().get(subcommand), message);
  }
}
