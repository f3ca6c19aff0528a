package dev.cryo.cli;

import dev.cryo.repository.RemoteRepository;
import picocli.CommandLine.Command;

/** {@code cryo pull}: a checkpoint of a remote repository into the image store. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a checkpoint of a remote repository into the image store.",
      "Every chunk is authenticated as it arrives and every file checked before the checkpoint",
      "appears in the store; a damaged or missing object stops it (exit code 4)."
    })
final class PullCommand extends TransferCommand {

  @Override
  public Integer call() throws Exception {
    RemoteRepository repository = Remotes.open(remote, options);
    TransferProgress progress = TransferProgress.on(cryo.spec.commandLine().getErr());
    RemoteRepository.Pulled pulled = repository.pull(reference, cryo.writableStore(), progress);
    progress.finish(
        TransferProgress.pulled(
            pulled.checkpoint().label(), repository.location(), pulled.summary()));
    cryo.spec.commandLine().getOut().println(pulled.checkpoint().id());
    return ExitCode.OK.code();
  }
}
