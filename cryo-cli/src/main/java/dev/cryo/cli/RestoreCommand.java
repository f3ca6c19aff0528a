package dev.cryo.cli;

import dev.cryo.checkpoint.RestoreResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code cryo restore}: brings a checkpointed process tree back to life. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a checkpoint by name or id, after verifying its images.",
        "The restored process runs detached; its PID is printed. The checkpoint is kept."})
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand
  CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint to restore.")
  String reference;

  @Override
  public Integer call() throws Exception {
    var notices = cryo.spec.commandLine().getErr();
    RestoreResult result = cryo.service(cryo.writableStore()).restore(reference, n -> notices.println("cryo: " + n));
    cryo.spec.commandLine().getOut().println(result.pid());
    cryo.spec.commandLine().getErr().printf("restored %s as PID %d: verify %s, restore %s%n",
        result.checkpoint().label(), result.pid(), Format.seconds(result.verifyTime()),
        Format.seconds(result.restoreTime()));
    return ExitCode.OK.code();
  }
}
