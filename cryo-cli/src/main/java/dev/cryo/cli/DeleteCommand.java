package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.repository.RemoteRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cryo delete}: removes a checkpoint for good. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete a checkpoint and its images.",
      "CRIU's network lock of a checkpoint that was never restored goes with it.",
      "With REMOTE, delete it from that repository instead; 'cryo prune REMOTE' then frees its chunks."
    })
final class DeleteCommand extends CheckpointReferenceCommand {
  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "REMOTE",
      description = "A remote repository (s3://BUCKET/PREFIX or a directory) instead of the store.")
  String remote;

  @Mixin RemoteOptions options;

  @Override
  public Integer call() throws Exception {
    if (remote != null) {
      RemoteRepository repository = Remotes.open(remote, options);
      repository.delete(reference);
      cryo.spec
          .commandLine()
          .getErr()
          .printf(
              "deleted %s from %s; 'cryo prune %s' frees the chunks no other checkpoint uses%n",
              reference, repository.location(), remote);
      return ExitCode.OK.code();
    }
    var cp = cryo.service(cryo.writableStore()).delete(reference);
    cryo.spec
        .commandLine()
        .getErr()
        .printf("deleted %s (%s)%n", cp.label(), HumanUnits.bytes(cp.manifest().imageBytes()));
    return ExitCode.OK.code();
  }
}
