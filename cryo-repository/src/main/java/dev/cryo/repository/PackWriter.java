package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Gathers sealed chunks into packs of a few MiB and uploads each full pack, then its index. One
 * object per pack instead of one per chunk: object stores charge, in time and money, per request.
 * One thread, the push's, adds the chunks, in the order they were read; the uploads run apart.
 */
final class PackWriter {
  /** Large enough that a request costs little against its transfer, small enough to retry. */
  static final int TARGET_BYTES = 8 << 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ObjectStore store;
  private final SealedObjects sealing;
  private final ParallelTransfers uploads;
  private final Map<String, RemoteManifest.ChunkRef> written = new HashMap<>();
  private ByteArrayOutputStream bytes;
  private List<PackIndex.Entry> entries;
  private String packId;

  PackWriter(ObjectStore store, SealedObjects sealing, ParallelTransfers uploads) {
    this.store = store;
    this.sealing = sealing;
    this.uploads = uploads;
  }

  /** Adds a sealed chunk; uploads the pack once it is full. */
  void add(String chunkId, int size, byte[] sealed) throws ImageStoreException {
    if (bytes == null) {
      byte[] id = new byte[16];
      RANDOM.nextBytes(id);
      packId = HexFormat.of().formatHex(id);
      bytes = new ByteArrayOutputStream(TARGET_BYTES + (1 << 20));
      entries = new ArrayList<>();
    }
    PackIndex.Entry entry = new PackIndex.Entry(chunkId, size, bytes.size(), sealed.length);
    bytes.writeBytes(sealed);
    entries.add(entry);
    written.put(chunkId, RemoteManifest.ChunkRef.at(chunkId, entry, packId));
    if (bytes.size() >= TARGET_BYTES) {
      upload();
    }
  }

  /** Uploads the last pack, however full. */
  void flush() throws ImageStoreException {
    if (bytes != null) {
      upload();
    }
  }

  /** Where a chunk this writer packed lies. */
  RemoteManifest.ChunkRef find(String chunkId) {
    return written.get(chunkId);
  }

  private void upload() throws ImageStoreException {
    byte[] pack = bytes.toByteArray();
    PackIndex index = new PackIndex(PackIndex.FORMAT, packId, List.copyOf(entries));
    String id = packId;
    bytes = null;
    entries = null;
    packId = null;
    uploads.submit(
        () -> {
          store.put(ObjectKeys.pack(id), pack);
          byte[] sealedIndex = index.seal(sealing);
          // The index last: a pack is used only once all of it is stored.
          store.put(ObjectKeys.index(id), sealedIndex);
          uploads.transferred(pack.length + sealedIndex.length);
          return null;
        });
  }
}
