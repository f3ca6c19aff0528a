package dev.cryo.repository;

import dev.cryo.images.Manifest;
import java.util.List;

/**
 * A checkpoint as a repository keeps it: the manifest it had in the image store it came from, whose
 * checksums a pull checks again, and each of its files as the list of chunks it is made of, with
 * where each chunk lies, so that a pull needs nothing else. Sealed and stored under {@code
 * checkpoints/ID} after every pack it names.
 */
record RemoteManifest(int format, String pushedAt, Manifest manifest, List<FileChunks> files) {
  /** 2: chunks in packs. */
  static final int FORMAT = 2;

  /** One file of the checkpoint, by its path in the checkpoint's directory. */
  record FileChunks(String path, List<ChunkRef> chunks) {}

  /** A chunk by its keyed id and its length before compression, and where its sealed bytes lie. */
  record ChunkRef(String id, int size, String pack, long offset, int length) {
    static ChunkRef at(String id, PackIndex.Entry entry, String pack) {
      return new ChunkRef(id, entry.size(), pack, entry.offset(), entry.length());
    }
  }
}
