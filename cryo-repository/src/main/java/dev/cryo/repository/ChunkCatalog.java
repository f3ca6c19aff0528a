package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * Every chunk the repository holds, by id, from the indexes of its packs. A pack whose index cannot
 * be read is listed apart: its chunks are unknown, so a push stores them again and a prune never
 * deletes it.
 */
final class ChunkCatalog {
  private final Map<String, RemoteManifest.ChunkRef> chunks = new HashMap<>();
  private final Map<String, PackIndex> packs = new HashMap<>();
  private final Set<String> unreadable = new HashSet<>();

  private ChunkCatalog() {}

  /** Reads every index, a few at a time. */
  static ChunkCatalog load(ObjectStore store, SealedObjects sealing, int parallelism)
      throws ImageStoreException {
    ChunkCatalog catalog = new ChunkCatalog();
    List<String> packIds = new ArrayList<>();
    for (ObjectStore.StoredObject object : store.list(ObjectKeys.INDEXES)) {
      packIds.add(ObjectKeys.packIdOf(object.key()));
    }
    try (ParallelTransfers reads = new ParallelTransfers(parallelism, "index")) {
      List<Future<byte[]>> sealed = new ArrayList<>();
      for (String packId : packIds) {
        sealed.add(reads.submit(() -> store.get(ObjectKeys.index(packId))));
      }
      for (int i = 0; i < packIds.size(); i++) {
        String packId = packIds.get(i);
        try {
          catalog.add(PackIndex.open(sealing, packId, reads.result(sealed.get(i))));
        } catch (GeneralSecurityException | IOException | ObjectNotFoundException e) {
          catalog.unreadable.add(packId);
        }
      }
    }
    return catalog;
  }

  void add(PackIndex index) {
    packs.put(index.pack(), index);
    for (PackIndex.Entry entry : index.chunks()) {
      chunks.putIfAbsent(entry.id(), RemoteManifest.ChunkRef.at(entry.id(), entry, index.pack()));
    }
  }

  /** Where the chunk lies, or null when the repository does not have it. */
  RemoteManifest.ChunkRef find(String chunkId) {
    return chunks.get(chunkId);
  }

  Map<String, PackIndex> packs() {
    return packs;
  }

  /** Packs whose index is damaged or missing a moment ago: never deleted, never used. */
  Set<String> unreadablePacks() {
    return unreadable;
  }
}
