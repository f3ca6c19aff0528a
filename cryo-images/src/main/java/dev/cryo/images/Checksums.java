package dev.cryo.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The integrity checks of stored image files. New checkpoints record CRC32C, which finds the damage
 * a store suffers (torn writes, bad sectors, truncated copies) at memory speed, even in the freshly
 * started JVM of {@code cryo restore}: the JDK computes it with the CPU's CRC instruction from the
 * first call. SHA-256 is still checked for checkpoints that recorded it; it adds no protection
 * against tampering here, since the manifest sits beside the images it describes.
 */
final class Checksums {
  private static final int BUFFER = 1 << 20;

  private Checksums() {}

  /**
   * A buffer for {@link #crc32c}, to use for every file of one pass: direct, so that the file's
   * bytes are copied once and the CRC instruction reads them where they land (a heap buffer costs a
   * second copy, most of the time in the cold JVM of a restore).
   */
  static ByteBuffer buffer() {
    return ByteBuffer.allocateDirect(BUFFER);
  }

  /** CRC32C of the whole file, as 8 hex digits, read through {@code buffer}. */
  static String crc32c(Path file, ByteBuffer buffer) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (in.read(buffer.clear()) > 0) {
        crc.update(buffer.flip());
      }
    }
    return String.format("%08x", crc.getValue());
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
