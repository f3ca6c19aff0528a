package dev.cryo.cli;

import dev.cryo.images.ImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code cryo inspect}: a checkpoint's manifest. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Print a checkpoint's manifest.", "JSON: origin host, process, sizes and checksums."})
final class InspectCommand implements Callable<Integer> {
  @ParentCommand
  CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint to show.")
  String reference;

  @Override
  public Integer call() throws Exception {
    ImageStore store = cryo.readableStore();
    var cp = store.resolve(reference);
    cryo.spec.commandLine().getOut().println(store.toJson(cp.manifest()));
    return ExitCode.OK.code();
  }
}
