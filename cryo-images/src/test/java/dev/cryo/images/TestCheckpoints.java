package dev.cryo.images;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * Made-up checkpoints for the tests of the store: the manifest a dump drafts before its checkpoint
 * is published, and a checkpoint published with a few small images, for the tests that care only
 * that some checkpoint is there.
 */
final class TestCheckpoints {
  private TestCheckpoints() {}

  /**
   * A checkpoint of the draft's program published in {@code store} as {@code name}: an 8-byte
   * pages-1.img and a core-1234.img in its images, and a dump.log beside them.
   */
  static StoredCheckpoint publishWithImages(ImageStore store, String name) throws Exception {
    StagedCheckpoint staged = store.stage(name);
    Files.write(staged.imagesDir().resolve("pages-1.img"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Files.writeString(staged.imagesDir().resolve("core-1234.img"), "core");
    Files.writeString(staged.directory().resolve("dump.log"), "log");
    return store.publish(staged, draft());
  }

  /** The draft a dump of PIDs 1234 and 1235 of a Java program writes now. */
  static Manifest draft() {
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
