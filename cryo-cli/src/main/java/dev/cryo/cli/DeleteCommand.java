package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code cryo delete}: removes a checkpoint for good. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = {"Delete a checkpoint and its images.",
        "CRIU's network lock of a checkpoint that was never restored goes with it."})
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand
  CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint to delete.")
  String reference;

  @Override
  public Integer call() throws Exception {
    var cp = cryo.service(cryo.writableStore()).delete(reference);
    cryo.spec.commandLine().getErr().printf("deleted %s (%s)%n", cp.label(), HumanUnits.bytes(cp.manifest().imageBytes()));
    return ExitCode.OK.code();
  }
}
