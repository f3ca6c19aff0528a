package dev.cryo.supervisor;

import dev.cryo.images.ImageStoreException;
import dev.cryo.repository.RemoteRepository;
import java.util.Comparator;
import java.util.List;

/**
 * A run's remote repository, where its checkpoints are uploaded and whence they come back when the
 * host has lost its own. The supervisor knows no command line and no object store's adapter: the
 * command that starts it says how to open the repository that the run's spec names. It is opened on
 * first use and kept open; a failure to open it is thrown to the caller and tried again at the next
 * use, so that a repository unreachable when the supervisor starts is used once it answers.
 */
public final class RemoteCheckpoints {
  /** Opens the repository. */
  @FunctionalInterface
  public interface Opener {
    RemoteRepository open() throws ImageStoreException;
  }

  private final String location;
  private final Opener opener;
  private RemoteRepository repository;

  /**
   * @param location where the repository is, for messages
   */
  public RemoteCheckpoints(String location, Opener opener) {
    this.location = location;
    this.opener = opener;
  }

  /** Where the repository is, for messages. */
  String location() {
    return location;
  }

  synchronized RemoteRepository repository() throws ImageStoreException {
    if (repository == null) {
      repository = opener.open();
    }
    return repository;
  }

  /**
   * The run's checkpoints in the repository, newest first: by the rule that says which local ones
   * are the run's ({@link RunCheckpoints#isOf}). Those whose manifest cannot be read are left out.
   */
  List<RemoteRepository.Entry> of(RunSpec spec) throws ImageStoreException {
    return repository().entries().stream()
        .filter(RemoteRepository.Entry::readable)
        .filter(entry -> RunCheckpoints.isOf(entry.manifest(), spec))
        .sorted(Comparator.comparing(RemoteRepository.Entry::manifest, RunCheckpoints.NEWEST_FIRST))
        .toList();
  }
}
