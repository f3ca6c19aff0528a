package dev.cryo.images;

import java.util.List;

/**
 * A place that keeps published checkpoints: this host's {@link ImageStore}, or a repository
 * elsewhere that several hosts share. CRIU reads and writes only local files, so the local store
 * stays the working copy: a checkpoint is published there first and put into a repository from
 * there, and one got from a repository lands there before it is restored.
 */
public interface CheckpointRepository {
  /** The manifests of every checkpoint kept here, oldest first. */
  List<Manifest> manifests() throws ImageStoreException;

  /**
   * The manifest of the checkpoint with this id or name.
   *
   * @throws CheckpointNotFoundException when there is none
   */
  Manifest describe(String reference) throws ImageStoreException;

  /**
   * Keeps a copy of {@code checkpoint}, a published checkpoint of the working copy. Nothing if it
   * is already kept.
   */
  void put(StoredCheckpoint checkpoint) throws ImageStoreException;

  /**
   * The checkpoint with this id or name, in {@code workingCopy}: brought there first if it is not
   * there yet, verified against its manifest.
   */
  StoredCheckpoint get(String reference, ImageStore workingCopy) throws ImageStoreException;

  /** Removes the checkpoint with this id or name from here. */
  void delete(String reference) throws ImageStoreException;
}
