package dev.cryo.node;

import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.TransferListener;
import dev.cryo.supervisor.RemoteCheckpoints;
import java.util.Optional;

/**
 * The node's access to the cluster's repository: it brings published checkpoints into this host's
 * image store, for a restore here (when the node takes a program over, and ahead of time: {@link
 * Prefetcher}), and uploads the checkpoints taken on request ({@code cryo checkpoint --cluster}).
 * The repository is opened on first use and kept.
 */
final class ClusterRepository {
  private final ImageStore images;
  private final RemoteCheckpoints.Opener opener;
  private RemoteRepository repository;

  /**
   * A checkpoint in the local store.
   *
   * @param id its id here
   * @param pulledMillis how long pulling it took, or -1 if it was here already
   */
  record Fetched(String id, long pulledMillis) {}

  ClusterRepository(ImageStore images, RemoteCheckpoints.Opener opener) {
    this.images = images;
    this.opener = opener;
  }

  /** The checkpoint, if this store has it. */
  Optional<StoredCheckpoint> local(String name) {
    try {
      return Optional.of(images.resolve(name));
    } catch (ImageStoreException notHere) {
      return Optional.empty();
    }
  }

  /**
   * Pulls {@code name} unless it is here already. One pull at a time: a takeover that needs the
   * checkpoint a prefetch is pulling waits for it, and then finds it here.
   */
  synchronized Fetched fetch(String name) throws ImageStoreException {
    Optional<StoredCheckpoint> here = local(name);
    if (here.isPresent()) {
      return new Fetched(here.get().id(), -1);
    }
    long started = System.nanoTime();
    RemoteRepository.Pulled pulled = repository().pull(name, images, TransferListener.NONE);
    return new Fetched(pulled.checkpoint().id(), (System.nanoTime() - started) / 1_000_000);
  }

  /** Uploads a checkpoint of this host's store (one already there is not sent again). */
  void upload(String id) throws ImageStoreException {
    StoredCheckpoint checkpoint = images.resolve(id);
    synchronized (this) {
      repository().push(checkpoint, TransferListener.NONE);
    }
  }

  /** Deletes a checkpoint fetched earlier that is no longer wanted; failures only cost space. */
  void discard(String name) {
    Optional<StoredCheckpoint> here = local(name);
    if (here.isPresent()) {
      try {
        images.delete(here.get());
      } catch (ImageStoreException e) {
        System.err.println(
            "cryo node: could not delete prefetched checkpoint " + name + ": " + e.getMessage());
      }
    }
  }

  private synchronized RemoteRepository repository() throws ImageStoreException {
    if (repository == null) {
      repository = opener.open();
    }
    return repository;
  }
}
