package dev.cryo.checkpoint;

import dev.cryo.criu.CriuImages;
import dev.cryo.linux.Nftables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CRIU's nftables tables that keep a dumped tree's TCP connections locked until a restore unlocks
 * them. A checkpoint that is deleted without ever being restored would leave its table, and the
 * rules dropping its connections' packets, behind forever.
 */
public final class NetworkLocks {
  private NetworkLocks() {}

  /** The lock table of the images in {@code imagesDir}, if their inventory names one. */
  public static Optional<String> tableOf(Path imagesDir) {
    try {
      return CriuImages.dumpRunId(imagesDir).map(CriuImages::networkLockTable);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes the table if it is there; returns whether it was. Without the nft tool, does nothing.
   */
  public static boolean release(String table) {
    return Nftables.run(0, "delete table inet " + table + "\n").succeeded();
  }
}
