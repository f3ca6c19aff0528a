package dev.cryo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cryo repo}: commands about remote repositories as a whole. */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description =
        "Manage remote repositories of checkpoints (S3-compatible storage or a directory).",
    subcommands = {RepoInitCommand.class})
final class RepoCommand implements Runnable {
  @ParentCommand CryoCommand cryo;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
