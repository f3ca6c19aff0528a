package dev.cryo.cli;

import dev.cryo.images.ImageStoreException;
import dev.cryo.repository.DirectoryObjectStore;
import dev.cryo.repository.KeyFileException;
import dev.cryo.repository.ObjectStore;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.RepositoryKey;
import dev.cryo.repository.RetryingObjectStore;
import dev.cryo.supervisor.RunSpec;
import java.io.Console;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Opens remote repositories as the command line names them: {@code s3://BUCKET/PREFIX} on
 * S3-compatible storage, anything else with a {@code /} a directory. The one place that chooses an
 * object store's adapter, so that the layers beneath never see S3.
 */
final class Remotes {
  /** The environment variable a key file's passphrase is read from, when not on a terminal. */
  static final String PASSPHRASE_VARIABLE = "CRYO_REPOSITORY_PASSPHRASE";

  private Remotes() {}

  /** Whether {@code argument} names a remote repository rather than a local checkpoint. */
  static boolean isRemote(String argument) {
    return argument.startsWith("s3://") || argument.contains("/");
  }

  /** A repository location as messages and key file names show it. */
  static String normalize(String location) {
    if (location.startsWith("s3://")) {
      return location.replaceAll("/+$", "");
    }
    return Path.of(location).toAbsolutePath().normalize().toString();
  }

  /** The object store of {@code location}, retrying what may pass. */
  static ObjectStore objectStore(String location, RemoteOptions options)
      throws ImageStoreException {
    String normalized = normalize(location);
    ObjectStore store =
        normalized.startsWith("s3://")
            ? S3Stores.open(normalized, options.endpoint, System.getenv())
            : new DirectoryObjectStore(Path.of(normalized));
    return new RetryingObjectStore(store, RetryingObjectStore.DEFAULT_POLICY);
  }

  /** The key file of {@code location}: {@code --key}, or the default one named after it. */
  static Path keyFile(String location, RemoteOptions options) {
    if (options.keyFile != null) {
      return options.keyFile;
    }
    return RepositoryKey.defaultFile(
        normalize(location), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** The repository at {@code location}, opened with its key. */
  static RemoteRepository open(String location, RemoteOptions options) throws ImageStoreException {
    Path keyFile = keyFile(location, options);
    RepositoryKey key = RepositoryKey.read(keyFile, Remotes::askPassphrase);
    return RemoteRepository.open(objectStore(location, options), key, keyFile.toString());
  }

  /** A passphrase from {@link #PASSPHRASE_VARIABLE}, else asked on the terminal. */
  static char[] askPassphrase(Path keyFile) throws KeyFileException {
    return passphrase(System.getenv(), System.console(), "passphrase of " + keyFile + ": ")
        .orElseThrow(
            () ->
                new KeyFileException(
                    "key file "
                        + keyFile
                        + " is sealed with a passphrase; set "
                        + PASSPHRASE_VARIABLE
                        + " or run on a terminal"));
  }

  static Optional<char[]> passphrase(Map<String, String> env, Console console, String prompt) {
    String fromEnv = env.get(PASSPHRASE_VARIABLE);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Optional.of(fromEnv.toCharArray());
    }
    if (console == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(console.readPassword("%s", prompt));
  }

  /**
   * The repository as a supervisor (or a node) opens it by itself, later and without a terminal:
   * opened here first, so that a missing or wrong key, or a location that holds no repository,
   * fails the command at once.
   */
  static RunSpec.Remote forSupervisor(String location, RemoteOptions given)
      throws ImageStoreException {
    Path keyFile = keyFile(location, given).toAbsolutePath().normalize();
    String passphrase = System.getenv(PASSPHRASE_VARIABLE);
    if (RepositoryKey.needsPassphrase(keyFile) && (passphrase == null || passphrase.isEmpty())) {
      throw new KeyFileException(
          "key file "
              + keyFile
              + " is sealed with a passphrase, and the supervisor has no terminal to ask for it:"
              + " set "
              + PASSPHRASE_VARIABLE);
    }
    RemoteOptions options = new RemoteOptions();
    options.keyFile = keyFile;
    options.endpoint = given.endpoint;
    open(location, options);
    return new RunSpec.Remote(normalize(location), keyFile.toString(), options.endpoint);
  }

  /** How a supervisor or a node opens the repository a run's spec names, when it needs it. */
  static RemoteRepository open(RunSpec.Remote remote) throws ImageStoreException {
    RemoteOptions options = new RemoteOptions();
    options.keyFile = Path.of(remote.keyFile());
    options.endpoint = remote.endpoint();
    return open(remote.location(), options);
  }
}
