package dev.cryo.cli;

import dev.cryo.repository.RemoteRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cryo pull}: a checkpoint of a remote repository into the image store. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a checkpoint of a remote repository into the image store.",
      "Every chunk is authenticated as it arrives and every file checked before the checkpoint",
      "appears in the store; a damaged or missing object stops it (exit code 4)."
    })
final class PullCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Parameters(
      index = "0",
      paramLabel = "NAME|ID",
      description = "The checkpoint in the repository.")
  String reference;

  @Parameters(
      index = "1",
      paramLabel = "REMOTE",
      description = "s3://BUCKET/PREFIX or a directory.")
  String remote;

  @Mixin RemoteOptions options;

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
