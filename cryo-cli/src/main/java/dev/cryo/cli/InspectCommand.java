package dev.cryo.cli;

import dev.cryo.images.ImageStore;
import picocli.CommandLine.Command;

/** {@code cryo inspect}: a checkpoint's manifest. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Print a checkpoint's manifest.",
      "JSON: origin host, process, sizes and checksums."
    })
final class InspectCommand extends CheckpointReferenceCommand {
  @Override
  public Integer call() throws Exception {
    ImageStore store = cryo.readableStore();
    cryo.spec.commandLine().getOut().println(store.toJson(store.resolve(reference).manifest()));
    return ExitCode.OK.code();
  }
}
