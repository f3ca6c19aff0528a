package dev.cryo.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --cluster} on the commands that act on a supervised program: the program is then one of
 * the cluster's, wherever it runs, rather than one of this host's.
 */
final class ClusterOption {
  @Option(
      names = "--cluster",
      description =
          "The program is a cluster program (cryo run --cluster), on whichever host runs it.")
  boolean enabled;

  @Mixin ClusterConnection connection;
}
