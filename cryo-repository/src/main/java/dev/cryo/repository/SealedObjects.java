package dev.cryo.repository;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * How a repository turns plaintext into an object and back: compressed with zstd when that makes it
 * smaller, then sealed with the repository key and bound to the object's key, so that an object
 * moved under another name, or changed by one bit, fails to open.
 */
final class SealedObjects {
  private static final byte STORED = 0;
  private static final byte ZSTD = 1;
  // Fast and still about 3x on a JVM's heap; higher levels cost more CPU than they save in upload.
  private static final int ZSTD_LEVEL = 3;

  private final RepositoryKey key;

  SealedObjects(RepositoryKey key) {
    this.key = key;
  }

  /** The object that holds {@code plain[offset, offset + length)} under {@code objectKey}. */
  byte[] seal(String objectKey, byte[] plain, int offset, int length) {
    byte[] framed = new byte[5 + (int) Zstd.compressBound(length)];
    long compressed =
        Zstd.compressByteArray(framed, 5, framed.length - 5, plain, offset, length, ZSTD_LEVEL);
    boolean smaller = !Zstd.isError(compressed) && compressed < length;
    int size = smaller ? (int) compressed : length;
    if (!smaller) {
      System.arraycopy(plain, offset, framed, 5, length);
    }
    ByteBuffer.wrap(framed).put(smaller ? ZSTD : STORED).putInt(length);
    framed = Arrays.copyOf(framed, 5 + size);
    return key.seal(framed, objectKey);
  }

  /**
   * The plaintext of an object.
   *
   * @throws GeneralSecurityException when the object was not sealed under {@code objectKey} with
   *     this repository's key, or was changed since
   */
  byte[] open(String objectKey, byte[] sealed) throws GeneralSecurityException {
    byte[] framed = key.open(sealed, objectKey);
    ByteBuffer in = ByteBuffer.wrap(framed);
    byte codec = in.get();
    int length = in.getInt();
    if (codec == STORED) {
      return Arrays.copyOfRange(framed, 5, framed.length);
    }
    if (codec != ZSTD) {
      throw new GeneralSecurityException("unknown encoding " + codec);
    }
    byte[] plain = new byte[length];
    long written = Zstd.decompressByteArray(plain, 0, length, framed, 5, framed.length - 5);
    if (Zstd.isError(written) || written != length) {
      throw new GeneralSecurityException("its compressed content is damaged");
    }
    return plain;
  }
}
