package dev.cryo.images;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An {@link ImageStore} as a {@link CheckpointRepository}: a checkpoint put here from another store
 * is copied in whole, checked, and published with the manifest it had.
 */
final class LocalCheckpointRepository implements CheckpointRepository {
  private final ImageStore store;

  LocalCheckpointRepository(ImageStore store) {
    this.store = store;
  }

  @Override
  public List<Manifest> manifests() throws ImageStoreException {
    return store.list().stream().map(StoredCheckpoint::manifest).toList();
  }

  @Override
  public Manifest describe(String reference) throws ImageStoreException {
    return store.resolve(reference).manifest();
  }

  @Override
  public void put(StoredCheckpoint checkpoint) throws ImageStoreException {
    if (checkpoint.directory().startsWith(store.root())) {
      return;
    }
    store.receive(checkpoint.manifest(), copy -> copyFiles(checkpoint, copy));
  }

  @Override
  public StoredCheckpoint get(String reference, ImageStore workingCopy) throws ImageStoreException {
    StoredCheckpoint checkpoint = store.resolve(reference);
    store.requireIntact(checkpoint);
    workingCopy.asRepository().put(checkpoint);
    return workingCopy.resolve(checkpoint.id());
  }

  @Override
  public void delete(String reference) throws ImageStoreException {
    store.delete(store.resolve(reference));
  }

  /** The files the manifest lists, and the manifest. */
  private static void copyFiles(StoredCheckpoint checkpoint, Path into) throws IOException {
    for (Manifest.FileEntry entry : checkpoint.manifest().files()) {
      Path target = into.resolve(entry.path()).normalize();
      if (!target.startsWith(into)) {
        throw new IOException(entry.path() + " points outside the checkpoint");
      }
      PrivateFiles.createDirectories(target.getParent());
      Files.copy(checkpoint.directory().resolve(entry.path()), target);
    }
  }
}
