package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.repository.PruneSummary;
import dev.cryo.repository.RemoteRepository;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cryo prune}: frees the chunks that no checkpoint of a remote repository uses. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Delete the chunks of a remote repository that no checkpoint uses any more.",
      "It waits for pushes under way, and never deletes a chunk a listed checkpoint needs."
    })
final class PruneCommand extends RepositoryCommand {
  @ParentCommand CryoCommand cryo;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description = "How long to wait for pushes under way, such as 30s or 5m (default: 1m).")
  String wait = "1m";

  @Override
  public Integer call() throws Exception {
    Duration waitFor =
        DurationOptions.positive(
            cryo.spec.commandLine().getSubcommands().get("prune"),
            "--wait",
            wait,
            Duration.ofDays(1),
            "1d");
    RemoteRepository repository = Remotes.open(remote, options);
    PruneSummary pruned = repository.prune(waitFor);
    cryo.spec
        .commandLine()
        .getErr()
        .printf(
            "pruned %s: deleted %d unused packs (%s); kept %d packs for %d checkpoints, with %s"
                + " of unused chunks among their others%n",
            repository.location(),
            pruned.deletedPacks(),
            HumanUnits.bytes(pruned.deletedBytes()),
            pruned.keptPacks(),
            pruned.checkpoints(),
            HumanUnits.bytes(pruned.unusedBytesKept()));
    return ExitCode.OK.code();
  }
}
