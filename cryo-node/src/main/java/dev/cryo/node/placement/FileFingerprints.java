package dev.cryo.node.placement;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 fingerprints of files, each hashed once while it stays the same file: a JDK's {@code
 * lib/modules} is over 100 MB and is asked about again at every fit check. A file counts as
 * unchanged while its path, device, inode, size, modification time and change time are; a bind
 * mount over a path, or a file replaced by rename, is another device or inode and is hashed again.
 */
public final class FileFingerprints {
  private final Map<Path, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicLong filesRead = new AtomicLong();

  /** Where a file is and what it looked like when it was hashed. */
  private record Stamp(
      Object device, Object inode, long size, FileTime modified, FileTime changed) {
    static Stamp of(Path file) throws IOException {
      Map<String, Object> a =
          Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
      return new Stamp(
          a.get("dev"),
          a.get("ino"),
          (Long) a.get("size"),
          (FileTime) a.get("lastModifiedTime"),
          (FileTime) a.get("ctime"));
    }
  }

  private record Entry(Stamp stamp, String sha256) {}

  /**
   * The SHA-256 of {@code file}'s content, as 64 lowercase hex digits.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such file
   * @throws IOException when it cannot be read
   */
  public String sha256(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Stamp before = Stamp.of(key);
    Entry known = cache.get(key);
    if (known != null && known.stamp().equals(before)) {
      return known.sha256();
    }
    String hash = hash(key);
    // A file written while it was read is hashed again next time rather than cached half-old.
    if (Stamp.of(key).equals(before)) {
      cache.put(key, new Entry(before, hash));
    }
    return hash;
  }

  /** How many times a file's content was read, for tests. */
  long filesRead() {
    return filesRead.get();
  }

  private String hash(Path file) throws IOException {
    filesRead.incrementAndGet();
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
