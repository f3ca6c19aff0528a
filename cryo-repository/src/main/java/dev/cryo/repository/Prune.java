package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import java.util.HashSet;
import java.util.Set;

/**
 * One prune: deletes the packs none of whose chunks a manifest references, and the packs a failed
 * push left without an index. The caller holds the prune lock, so no push is between finding a
 * chunk stored and writing the manifest that needs it. A pack with some chunks still in use is kept
 * whole; its unused bytes are reported.
 */
final class Prune {
  /** Reads the manifest of a checkpoint by id. */
  @FunctionalInterface
  interface ManifestReader {
    RemoteManifest read(String checkpointId) throws ImageStoreException;
  }

  private final ObjectStore store;
  private final SealedObjects sealing;
  private final ManifestReader manifests;
  private final RepositoryLocks locks;
  private final int parallelism;

  Prune(
      ObjectStore store,
      SealedObjects sealing,
      ManifestReader manifests,
      RepositoryLocks locks,
      int parallelism) {
    this.store = store;
    this.sealing = sealing;
    this.manifests = manifests;
    this.locks = locks;
    this.parallelism = parallelism;
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
    ChunkCatalog catalog = ChunkCatalog.load(store, sealing, parallelism);
    int deleted = 0;
    int kept = 0;
    long deletedBytes = 0;
    long unusedBytes = 0;
    for (ObjectStore.StoredObject object : store.list(ObjectKeys.PACKS)) {
      String packId = ObjectKeys.packIdOf(object.key());
      PackIndex index = catalog.packs().get(packId);
      if (catalog.unreadablePacks().contains(packId)) {
        kept++; // Its chunks are unknown: it may hold some in use.
        continue;
      }
      long unused = 0;
      boolean inUse = false;
      if (index != null) {
        for (PackIndex.Entry entry : index.chunks()) {
          if (referenced.contains(entry.id())) {
            inUse = true;
          } else {
            unused += entry.length();
          }
        }
      }
      if (inUse) {
        kept++;
        unusedBytes += unused;
      } else {
        store.delete(object.key());
        store.delete(ObjectKeys.index(packId));
        deleted++;
        deletedBytes += object.size();
      }
    }
    locks.deleteStale();
    return new PruneSummary(deleted, deletedBytes, kept, unusedBytes, checkpoints);
  }
}
