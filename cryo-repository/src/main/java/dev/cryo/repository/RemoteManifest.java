package dev.cryo.repository;

import dev.cryo.images.Manifest;
import java.util.List;

/**
 * A checkpoint as a repository keeps it: the manifest it had in the image store it came from, whose
 * checksums a pull checks again, and each of its files as the list of chunks it is made of. Sealed
 * and stored under {@code checkpoints/ID} after every chunk it names.
 */
record RemoteManifest(int format, String pushedAt, Manifest manifest, List<FileChunks> files) {
  static final int FORMAT = 1;

  /** One file of the checkpoint, by its path in the checkpoint's directory. */
  record FileChunks(String path, List<ChunkRef> chunks) {}

  /** A chunk by its keyed id, and its length before compression. */
  record ChunkRef(String id, int size) {}
}
