package dev.cryo.images;

import java.time.Instant;
import java.util.List;

/**
 * The manifest a dump drafts before its checkpoint is published, for the tests that publish made-up
 * images and care only that some manifest goes with them.
 */
final class DraftManifests {
  private DraftManifests() {}

  /** A draft for PIDs 1234 and 1235 of a Java program, dumped now. */
  static Manifest ofAJavaProgram() {
    return new Manifest(
        Manifest.FORMAT,
        null,
        null,
        Instant.now().toString(),
        new Manifest.Host("host", "6.18.0", "4.2.1", List.of("sse2", "avx2")),
        new Manifest.Source(
            1234,
            List.of(1234, 1235),
            List.of("java", "-jar", "app.jar"),
            false,
            true,
            false,
            List.of(),
            false,
            null),
        0,
        List.of());
  }
}
