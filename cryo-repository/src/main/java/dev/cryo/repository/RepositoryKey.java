package dev.cryo.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cryo.images.JsonMappers;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret of one remote repository: a key that encrypts and authenticates every chunk and
 * manifest (AES-256-GCM), and a second key from which chunk ids are derived (HMAC-SHA256), so that
 * equal content is stored once without the ids revealing a hash of the plaintext. Whoever holds the
 * key file can read every checkpoint in the repository; whoever loses it loses them all.
 *
 * <p>The key file is JSON, 0600. It names the repository it belongs to and holds the key either as
 * it is or sealed with a key derived from a passphrase (PBKDF2-HMAC-SHA256).
 */
public final class RepositoryKey {
  static final int KEY_BYTES = 32;
  private static final int FORMAT = 1;
  private static final String KDF = "PBKDF2WithHmacSHA256";
  // OWASP's recommendation for PBKDF2-HMAC-SHA256 (2023): a few tenths of a second here.
  static final int KDF_ITERATIONS = 600_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final String repositoryId;
  private final byte[] encryptionKey;
  private final byte[] idKey;
  private final ThreadLocal<Mac> idMacs = ThreadLocal.withInitial(this::idMac);

  private RepositoryKey(String repositoryId, byte[] encryptionKey, byte[] idKey) {
    this.repositoryId = repositoryId;
    this.encryptionKey = encryptionKey;
    this.idKey = idKey;
  }

  /** A new random key for the repository {@code repositoryId}. */
  public static RepositoryKey generate(String repositoryId) {
    return new RepositoryKey(repositoryId, randomBytes(KEY_BYTES), randomBytes(KEY_BYTES));
  }

  /** The id of the repository this key belongs to. */
  public String repositoryId() {
    return repositoryId;
  }

  /**
   * Where the key of {@code location} is kept when no {@code --key} is given: a file in the user's
   * cryo configuration directory ({@code $XDG_CONFIG_HOME/cryo/keys}, else {@code
   * ~/.config/cryo/keys}) named after the repository's location.
   */
  public static Path defaultFile(String location, Map<String, String> env, Path home) {
    String config = env.get("XDG_CONFIG_HOME");
    Path base = config != null && !config.isBlank() ? Path.of(config) : home.resolve(".config");
    String name = location.replaceFirst("^[a-z0-9]+://", "").replaceAll("[^A-Za-z0-9._-]+", "-");
    name = name.replaceAll("^[-.]+|-+$", "");
    String scheme = location.startsWith("s3://") ? "s3-" : "dir-";
    return base.resolve("cryo").resolve("keys").resolve(scheme + name + ".key");
  }

  /**
   * Writes the key to a new 0600 file, sealed with {@code passphrase} if one is given. Refuses to
   * replace an existing file: that would lose the key of another repository.
   */
  public void write(Path file, Optional<char[]> passphrase) throws KeyFileException {
    ObjectNode json = JsonMappers.documents().createObjectNode();
    json.put("format", FORMAT);
    json.put("repository", repositoryId);
    byte[] plain = concat(encryptionKey, idKey);
    try {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      if (passphrase.isPresent()) {
        byte[] salt = randomBytes(16);
        byte[] wrapping = derive(passphrase.get(), salt, KDF_ITERATIONS);
        ObjectNode kdf = json.putObject("kdf");
        kdf.put("algorithm", KDF);
        kdf.put("iterations", KDF_ITERATIONS);
        kdf.put("salt", base64(salt));
        json.put("sealedKey", base64(seal(wrapping, plain, aad(repositoryId))));
      } else {
        json.put("key", base64(plain));
      }
      PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
      PrivateFiles.write(file, JsonMappers.documents().writeValueAsBytes(json));
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(
          "key file " + file + " exists already; move it away or choose another with --key FILE");
    } catch (IOException e) {
      throw new KeyFileException("cannot write key file " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Whether the key in {@code file} is sealed with a passphrase. */
  public static boolean needsPassphrase(Path file) throws KeyFileException {
    return readJson(file).has("kdf");
  }

  /**
   * Reads a key file.
   *
   * @param passphrase asked for only when the file is sealed with one
   * @throws KeyFileException when the file is missing, unreadable or damaged
   * @throws WrongKeyException when the passphrase does not open it
   */
  public static RepositoryKey read(Path file, PassphraseSource passphrase)
      throws KeyFileException, WrongKeyException {
    JsonNode json = readJson(file);
    String repositoryId = json.path("repository").asText("");
    byte[] plain;
    try {
      if (json.has("kdf")) {
        JsonNode kdf = json.get("kdf");
        if (!KDF.equals(kdf.path("algorithm").asText())) {
          throw new KeyFileException(
              "key file " + file + " uses " + kdf.path("algorithm").asText() + ", unknown here");
        }
        char[] secret = passphrase.passphrase(file);
        byte[] wrapping =
            derive(
                secret,
                Base64.getDecoder().decode(kdf.path("salt").asText()),
                kdf.path("iterations").asInt());
        Arrays.fill(secret, '\0');
        try {
          plain =
              open(
                  wrapping,
                  Base64.getDecoder().decode(json.path("sealedKey").asText()),
                  aad(repositoryId));
        } catch (GeneralSecurityException e) {
          throw new WrongKeyException(
              "the passphrase does not open key file " + file + "; try again");
        }
      } else {
        plain = Base64.getDecoder().decode(json.path("key").asText());
      }
    } catch (IllegalArgumentException e) {
      throw new KeyFileException("key file " + file + " is damaged: " + e.getMessage(), e);
    }
    if (plain.length != 2 * KEY_BYTES || repositoryId.isEmpty()) {
      throw new KeyFileException("key file " + file + " is damaged: it holds no whole key");
    }
    return new RepositoryKey(
        repositoryId,
        Arrays.copyOfRange(plain, 0, KEY_BYTES),
        Arrays.copyOfRange(plain, KEY_BYTES, 2 * KEY_BYTES));
  }

  private static JsonNode readJson(Path file) throws KeyFileException {
    try {
      JsonNode json = JsonMappers.documents().readTree(Files.readAllBytes(file));
      if (json == null || !json.isObject() || json.path("format").asInt() != FORMAT) {
        throw new KeyFileException("key file " + file + " is not a cryo repository key");
      }
      return json;
    } catch (NoSuchFileException e) {
      throw new KeyFileException(
          "no key file at "
              + file
              + "; give the repository's key with --key FILE (made by 'cryo repo init')");
    } catch (IOException e) {
      throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The id of a chunk with this content: HMAC-SHA256 with the id key, in hex. */
  String chunkId(byte[] data, int offset, int length) {
    Mac mac = idMacs.get();
    mac.update(data, offset, length);
    return HEX.formatHex(mac.doFinal());
  }

  /** Bytes derived from the id key for {@code purpose}: keys the chunker's boundaries. */
  byte[] derive(String purpose) {
    return idMac().doFinal(purpose.getBytes(StandardCharsets.UTF_8));
  }

  /** A MAC keyed with the id key; one per thread for chunk ids, which each chunk needs. */
  private Mac idMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(idKey, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /** Encrypts and authenticates {@code plain}, bound to {@code context}: nonce, then ciphertext. */
  byte[] seal(byte[] plain, String context) {
    try {
      return seal(encryptionKey, plain, aad(context));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  /**
   * The plaintext of {@link #seal}ed bytes.
   *
   * @throws GeneralSecurityException when they were not sealed with this key for {@code context},
   *     or were changed since
   */
  byte[] open(byte[] sealed, String context) throws GeneralSecurityException {
    return open(encryptionKey, sealed, aad(context));
  }

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private static byte[] seal(byte[] key, byte[] plain, byte[] aad) throws GeneralSecurityException {
    byte[] nonce = randomBytes(NONCE_BYTES);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plain.length));
    out.put(nonce);
    cipher.doFinal(ByteBuffer.wrap(plain), out);
    return out.array();
  }

  private static byte[] open(byte[] key, byte[] sealed, byte[] aad)
      throws GeneralSecurityException {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new GeneralSecurityException("too short to be sealed");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
    cipher.updateAAD(aad);
    return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
  }

  private static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, KEY_BYTES * 8);
      byte[] key = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
      spec.clearPassword();
      return key;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(KDF + " is missing from this JDK", e);
    }
  }

  private static byte[] aad(String context) {
    return ("cryo:" + context).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Where a passphrase comes from when a key file is sealed with one. */
  @FunctionalInterface
  public interface PassphraseSource {
    /**
     * The passphrase for {@code file}.
     *
     * @throws KeyFileException when there is no way to get one
     */
    char[] passphrase(Path file) throws KeyFileException;
  }
}
