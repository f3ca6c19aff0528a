package dev.cryo.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cryo.images.JsonMappers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The object {@code config}: the repository's id in the clear, so that a key of another repository
 * is told apart from damage, and its settings sealed with the key, so that nobody can change how it
 * chunks without being noticed.
 */
record RepositoryConfig(String repositoryId, ChunkSizes chunkSizes) {
  static final int FORMAT = 1;

  static String newRepositoryId() {
    return UUID.randomUUID().toString();
  }

  byte[] encode(RepositoryKey key) {
    ObjectNode settings = JsonMappers.lines().createObjectNode();
    settings.put("cipher", "AES-256-GCM");
    settings.put("chunkIds", "HMAC-SHA256");
    settings.put("compression", "zstd");
    settings
        .putObject("chunkSizes")
        .put("min", chunkSizes.min())
        .put("average", chunkSizes.average())
        .put("max", chunkSizes.max());
    ObjectNode json = JsonMappers.documents().createObjectNode();
    json.put("format", FORMAT);
    json.put("repository", repositoryId);
    json.put("created", Instant.now().toString());
    try {
      byte[] sealed = key.seal(JsonMappers.lines().writeValueAsBytes(settings), ObjectKeys.CONFIG);
      json.put("settings", Base64.getEncoder().encodeToString(sealed));
      return JsonMappers.documents().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the repository's configuration", e);
    }
  }

  /**
   * Reads {@code config} with {@code key}.
   *
   * @throws WrongKeyException when the key belongs to another repository
   * @throws CorruptObjectException when the object is damaged
   */
  static RepositoryConfig decode(byte[] bytes, RepositoryKey key, String location, String keyName)
      throws WrongKeyException, CorruptObjectException {
    String damaged = "the configuration of the repository at " + location + " is damaged";
    JsonNode json;
    try {
      json = JsonMappers.documents().readTree(bytes);
    } catch (IOException e) {
      throw new CorruptObjectException(damaged + " (it is not JSON)", e);
    }
    if (json == null || json.path("format").asInt() != FORMAT) {
      throw new CorruptObjectException(
          damaged
              + ", or was written by a newer cryo (format "
              + (json == null ? "none" : json.path("format").asText())
              + ")");
    }
    String id = json.path("repository").asText();
    if (!id.equals(key.repositoryId())) {
      throw new WrongKeyException(
          "the key "
              + keyName
              + " belongs to another repository, not to "
              + location
              + "; give this repository's key with --key FILE");
    }
    try {
      byte[] sealed = Base64.getDecoder().decode(json.path("settings").asText());
      JsonNode settings = JsonMappers.lines().readTree(key.open(sealed, ObjectKeys.CONFIG));
      JsonNode sizes = settings.path("chunkSizes");
      return new RepositoryConfig(
          id,
          new ChunkSizes(
              sizes.path("min").asInt(), sizes.path("average").asInt(), sizes.path("max").asInt()));
    } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
      throw new CorruptObjectException(damaged + " (its settings fail authentication)", e);
    }
  }
}
