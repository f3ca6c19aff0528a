package dev.cryo.cluster.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM files written whole or not at all, with their mode set before they hold anything. */
final class PemFiles {
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private PemFiles() {}

  static String pem(String label, byte[] der) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(label, der));
    }
    return text.toString();
  }

  /**
   * Writes {@code text} to {@code file} through a temporary file in the same directory, created
   * with {@code mode}, so that a key is never readable by others, not even for a moment.
   */
  static void write(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
    Path temporary =
        Files.createTempFile(
            file.getParent(),
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PRIVATE));
    try {
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(temporary, mode);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
