package dev.cryo.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint's manifest as it is stored: JSON, indented, fields this version does not know
 * ignored.
 */
final class ManifestCodec {
  private static final ObjectMapper JSON = JsonMappers.documents();

  private ManifestCodec() {}

  static byte[] encode(Manifest manifest) throws JsonProcessingException {
    return JSON.writeValueAsBytes(manifest);
  }

  static String toJson(Manifest manifest) {
    try {
      return JSON.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
  }

  /**
   * The manifest of the checkpoint in {@code checkpointDir}, or empty if it is missing or
   * unreadable.
   */
  static Optional<Manifest> read(Path checkpointDir) {
    try {
      return Optional.of(
          JSON.readValue(checkpointDir.resolve(StoreLayout.MANIFEST).toFile(), Manifest.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** See {@link ImageStore#warmUp}. */
  static void warmUp() {
    Manifest sample =
        new Manifest(
            Manifest.FORMAT,
            "20260101-000000-000000",
            "warm-up",
            "2026-01-01T00:00:00Z",
            new Manifest.Host("host", "kernel", "criu", List.of("flag")),
            new Manifest.Source(
                1,
                List.of(1),
                List.of("java"),
                false,
                true,
                false,
                List.of(new Manifest.Participant(1, "/1.cryo.sock", "id")),
                false,
                null),
            1,
            List.of(Manifest.FileEntry.of("images/pages-1.img", 1, "00000000")));
    try {
      JSON.readValue(JSON.writeValueAsBytes(sample), Manifest.class);
    } catch (IOException e) {
      // Only a warm-up: the real read reports its own errors.
    }
  }
}
