package dev.cryo.criu;

import dev.cryo.criu.images.InventoryEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the little Cryo needs from a directory of CRIU image files. */
public final class CriuImages {
  static final int INVENTORY_MAGIC = 0x58313116;

  /**
   * CRIU formats "inet CRIU-%s" into 32 bytes, so the table name keeps 21 characters of the run id.
   */
  private static final int TABLE_NAME_ID_CHARS = 31 - "inet CRIU-".length();

  private CriuImages() {}

  /** The id of the CRIU run that made these images, where the inventory records one. */
  public static Optional<String> dumpRunId(Path imagesDir) throws IOException {
    byte[] raw = Files.readAllBytes(imagesDir.resolve("inventory.img"));
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    if (raw.length < 8 || b.getInt(0) != INVENTORY_MAGIC) {
      throw new IOException(imagesDir.resolve("inventory.img") + " is not a CRIU inventory image");
    }
    int size = b.getInt(4);
    if (size < 0 || 8 + size > raw.length) {
      throw new IOException(imagesDir.resolve("inventory.img") + " is truncated");
    }
    InventoryEntry entry = InventoryEntry.parseFrom(ByteBuffer.wrap(raw, 8, size));
    return entry.hasDumpCriuRunId() && !entry.getDumpCriuRunId().isEmpty()
        ? Optional.of(entry.getDumpCriuRunId())
        : Optional.empty();
  }

  /**
   * The nftables table (family inet) in which CRIU keeps the network of a dumped tree locked until
   * a restore unlocks it: it outlives a checkpoint that is never restored.
   */
  public static String networkLockTable(String dumpRunId) {
    String id =
        dumpRunId.length() > TABLE_NAME_ID_CHARS
            ? dumpRunId.substring(0, TABLE_NAME_ID_CHARS)
            : dumpRunId;
    return "CRIU-" + id;
  }
}
