package dev.cryo.cli;

import dev.cryo.repository.RemoteRepository;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;

/** {@code cryo repo init}: a new remote repository and its key. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a remote repository, and its key (a 0600 file).",
      "REMOTE is s3://BUCKET/PREFIX (the bucket is created if missing) or a directory.",
      "Keep a copy of the key somewhere safe: without it, no checkpoint in the repository can be read."
    })
final class RepoInitCommand extends RepositoryCommand {
  @ParentCommand RepoCommand repo;

  @Option(
      names = "--passphrase",
      description =
          "Seal the key file with a passphrase (asked on the terminal, or read from "
              + "$CRYO_REPOSITORY_PASSPHRASE); every use of the key then needs it.")
  boolean passphrase;

  @Override
  public Integer call() throws Exception {
    var err = repo.cryo.spec.commandLine().getErr();
    Optional<char[]> secret = Optional.empty();
    if (passphrase) {
      secret = Remotes.passphrase(System.getenv(), System.console(), "passphrase for the key: ");
      if (secret.isEmpty() || secret.get().length == 0) {
        throw new ParameterException(
            repo.spec.commandLine().getSubcommands().get("init"),
            "--passphrase needs a terminal or $" + Remotes.PASSPHRASE_VARIABLE);
      }
      if (System.getenv(Remotes.PASSPHRASE_VARIABLE) == null) {
        char[] again = System.console().readPassword("the passphrase again: ");
        if (again == null || !Arrays.equals(again, secret.get())) {
          throw new ParameterException(
              repo.spec.commandLine().getSubcommands().get("init"),
              "the two passphrases differ; nothing was created");
        }
      }
    }
    Path keyFile = Remotes.keyFile(remote, options);
    RemoteRepository repository =
        RemoteRepository.init(Remotes.objectStore(remote, options), keyFile, secret);
    err.println("created repository " + repository.location());
    err.println("its key is in " + keyFile.toAbsolutePath());
    err.println(
        "keep a copy of the key somewhere safe: without it no checkpoint in this repository can"
            + " be read, and nobody can recover them");
    return ExitCode.OK.code();
  }
}
