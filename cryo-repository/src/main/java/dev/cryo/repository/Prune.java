package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import java.util.HashSet;
import java.util.Set;

/**
 * One prune: deletes the chunks that no manifest references. The caller holds the prune lock, so no
 * push is between deciding that a chunk is stored and writing the manifest that needs it.
 */
final class Prune {
  /** Reads the manifest of a checkpoint by id. */
  @FunctionalInterface
  interface ManifestReader {
    RemoteManifest read(String checkpointId) throws ImageStoreException;
  }

  private final ObjectStore store;
  private final ManifestReader manifests;
  private final RepositoryLocks locks;

  Prune(ObjectStore store, ManifestReader manifests, RepositoryLocks locks) {
    this.store = store;
    this.manifests = manifests;
    this.locks = locks;
  }

  PruneSummary run() throws ImageStoreException {
    Set<String> referenced = new HashSet<>();
    int checkpoints = 0;
    for (ObjectStore.StoredObject object : store.list(ObjectKeys.CHECKPOINTS)) {
      RemoteManifest manifest;
      try {
        manifest = manifests.read(ObjectKeys.checkpointIdOf(object.key()));
      } catch (CorruptObjectException e) {
        throw new CorruptObjectException(
            "cannot prune: "
                + e.getMessage()
                + "; delete that checkpoint first ('cryo delete ID "
                + store.location()
                + "')",
            e);
      }
      for (RemoteManifest.FileChunks file : manifest.files()) {
        file.chunks().forEach(chunk -> referenced.add(chunk.id()));
      }
      checkpoints++;
    }
    int deleted = 0;
    int kept = 0;
    long deletedBytes = 0;
    for (ObjectStore.StoredObject object : store.list(ObjectKeys.CHUNKS)) {
      if (referenced.contains(ObjectKeys.chunkIdOf(object.key()))) {
        kept++;
      } else {
        store.delete(object.key());
        deleted++;
        deletedBytes += object.size();
      }
    }
    locks.deleteStale();
    return new PruneSummary(deleted, deletedBytes, kept, checkpoints);
  }
}
