package dev.cryo.cli;

import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.TransferSummary;
import picocli.CommandLine.Command;

/** {@code cryo push}: a local checkpoint into a remote repository. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a checkpoint of the image store into a remote repository.",
      "Only the chunks the repository lacks are sent, compressed and encrypted; the checkpoint",
      "is listed there once all of it is there. Running it again after a failure sends only what is missing."
    })
final class PushCommand extends TransferCommand {

  @Override
  public Integer call() throws Exception {
    StoredCheckpoint checkpoint = cryo.readableStore().resolve(reference);
    RemoteRepository repository = Remotes.open(remote, options);
    TransferProgress progress = TransferProgress.on(cryo.spec.commandLine().getErr());
    TransferSummary summary = repository.push(checkpoint, progress);
    progress.finish(TransferProgress.pushed(checkpoint.label(), repository.location(), summary));
    return ExitCode.OK.code();
  }
}
