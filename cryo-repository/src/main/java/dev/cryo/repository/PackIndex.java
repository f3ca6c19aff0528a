package dev.cryo.repository;

import dev.cryo.images.JsonMappers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The chunks of one pack and where each lies, sealed and stored under {@code indexes/PACK} once the
 * pack is stored: how a push finds the chunks the repository has, and a prune the packs it may
 * delete. A pack without an index is the leftover of a push that failed.
 */
record PackIndex(int format, String pack, List<Entry> chunks) {
  static final int FORMAT = 1;

  /** One chunk: its id, its length before compression, and its sealed bytes' place in the pack. */
  record Entry(String id, int size, long offset, int length) {}

  byte[] seal(SealedObjects sealing) {
    try {
      byte[] plain = JsonMappers.lines().writeValueAsBytes(this);
      return sealing.seal(ObjectKeys.index(pack), plain, 0, plain.length);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a pack index", e);
    }
  }

  static PackIndex open(SealedObjects sealing, String packId, byte[] sealed)
      throws GeneralSecurityException, IOException {
    PackIndex index =
        JsonMappers.lines()
            .readValue(sealing.open(ObjectKeys.index(packId), sealed), PackIndex.class);
    if (!packId.equals(index.pack())) {
      throw new GeneralSecurityException("it is the index of pack " + index.pack());
    }
    return index;
  }
}
