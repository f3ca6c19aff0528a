package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import picocli.CommandLine.Command;

/** {@code cryo delete}: removes a checkpoint for good. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete a checkpoint and its images.",
      "CRIU's network lock of a checkpoint that was never restored goes with it."
    })
final class DeleteCommand extends CheckpointReferenceCommand {
  @Override
  public Integer call() throws Exception {
    var cp = cryo.service(cryo.writableStore()).delete(reference);
    cryo.spec
        .commandLine()
        .getErr()
        .printf("deleted %s (%s)%n", cp.label(), HumanUnits.bytes(cp.manifest().imageBytes()));
    return ExitCode.OK.code();
  }
}
