package dev.cryo.cli;

import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.TransferSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cryo push}: a local checkpoint into a remote repository. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a checkpoint of the image store into a remote repository.",
      "Only the chunks the repository lacks are sent, compressed and encrypted; the checkpoint",
      "is listed there once all of it is there. Running it again after a failure sends only what is missing."
    })
final class PushCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "NAME|ID", description = "The local checkpoint.")
  String reference;

  @Parameters(
      index = "1",
      paramLabel = "REMOTE",
      description = "s3://BUCKET/PREFIX or a directory.")
  String remote;

  @Mixin RemoteOptions options;

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
