package dev.cryo.criu;

import dev.cryo.criu.images.InventoryEntry;
import dev.cryo.criu.images.RestoreStatsEntry;
import dev.cryo.criu.images.StatsEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads the little Cryo needs from a directory of CRIU image files. */
public final class CriuImages {
  static final int INVENTORY_MAGIC = 0x58313116;
  static final int SERVICE_MAGIC = 0x55105940;
  static final int STATS_MAGIC = 0x57093306;

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

  /**
   * What CRIU's last restore in {@code workDir} says of itself ({@code stats-restore}), if it wrote
   * it: the figures behind "where a restore's time goes".
   */
  public static Optional<RestoreStats> restoreStats(Path workDir) {
    try {
      byte[] raw = Files.readAllBytes(workDir.resolve("stats-restore"));
      ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      if (raw.length < 12 || b.getInt(0) != SERVICE_MAGIC || b.getInt(4) != STATS_MAGIC) {
        return Optional.empty();
      }
      int size = b.getInt(8);
      if (size < 0 || 12 + size > raw.length) {
        return Optional.empty();
      }
      StatsEntry entry = StatsEntry.parseFrom(ByteBuffer.wrap(raw, 12, size));
      if (!entry.hasRestore()) {
        return Optional.empty();
      }
      RestoreStatsEntry r = entry.getRestore();
      return Optional.of(
          new RestoreStats(
              Duration.ofNanos(r.getForkingTime() * 1000L),
              Duration.ofNanos(r.getRestoreTime() * 1000L),
              r.getPagesRestored()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * CRIU's account of a restore.
   *
   * @param forking creating the processes of the tree
   * @param restore the whole restore as CRIU timed it, the forking and the pages included
   * @param pagesRestored the pages of memory it read in
   */
  public record RestoreStats(Duration forking, Duration restore, long pagesRestored) {}
}
