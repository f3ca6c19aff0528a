package dev.cryo.cli;

/**
 * The exit codes of {@code cryo}, documented in docs/cli.md. Scripts may rely on them: they do not
 * change meaning between releases.
 */
public enum ExitCode {
  OK(0, "success"),
  INTERNAL(1, "an unexpected internal error (please report it, with --verbose output)"),
  USAGE(2, "invalid command line: unknown option, missing or malformed argument"),
  NOT_FOUND(3, "no such process, checkpoint, supervised program, command, standby or cluster CA"),
  CORRUPT(4, "the checkpoint is corrupt or incomplete; it was left in place"),
  CRIU_UNAVAILABLE(5, "CRIU is missing, too old or cannot start"),
  CRIU_FAILED(
      6,
      "CRIU could not checkpoint or restore (or cannot here: a process of another user without "
          + "CAP_SYS_RESOURCE); the process and earlier checkpoints are untouched"),
  STORE(7, "the image store cannot be read or written"),
  CONFLICT(
      8,
      "a PID, a checkpoint name or a program name is already in use, a checkpoint has a standby "
          + "already, a remote repository is busy with a prune or exists already, or a cluster CA "
          + "exists already"),
  NOT_READY(9, "cryo doctor found something missing"),
  REFUSED(10, "the process refused the checkpoint or did not answer in time; it keeps running"),
  NOT_STARTED(
      11,
      "the supervised program could not be started (cryo run, restore --as); its events say why"),
  REMOTE_UNAVAILABLE(
      12,
      "the remote repository's server did not answer, or failed, after retries; nothing was left "
          + "half-visible, and running the command again sends only what is missing"),
  REMOTE_ACCESS_DENIED(13, "the remote repository's server refused the credentials"),
  REMOTE_MISSING(
      14, "the remote repository's bucket or directory does not exist, or holds no repository"),
  WRONG_KEY(
      15,
      "the repository key is missing, damaged, of another repository, or its passphrase is wrong"),
  CLUSTER_UNAVAILABLE(
      16,
      "no etcd endpoint of the cluster answered, or etcd has lost its quorum; nothing was changed"),
  CLUSTER_ACCESS_DENIED(
      17,
      "etcd or a node refused this host's certificate, or theirs was not signed by the cluster CA");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
