package dev.cryo.repository;

import dev.cryo.images.ImageStore;
import dev.cryo.images.Manifest;
import dev.cryo.images.StagedCheckpoint;
import dev.cryo.images.StoredCheckpoint;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Checkpoints published in a local store for the tests, with made-up memory of a given size. */
final class Checkpoints {
  private Checkpoints() {}

  /** Memory that compresses as badly as encrypted or random data does. */
  static byte[] randomMemory(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static StoredCheckpoint publish(ImageStore store, String name, byte[] pages) throws Exception {
    StagedCheckpoint staged = store.stage(name);
    Files.write(staged.imagesDir().resolve("pages-1.img"), pages);
    Files.writeString(staged.imagesDir().resolve("core-1234.img"), "core of 1234");
    Files.writeString(staged.directory().resolve("dump.log"), "dumped");
    return store.publish(staged, draft());
  }

  static Manifest draft() {
    return new Manifest(
        Manifest.FORMAT,
        null,
        null,
        Instant.now().toString(),
        new Manifest.Host("host", "6.18.0", "4.2.1", List.of("sse2")),
        new Manifest.Source(
            1234,
            List.of(1234),
            List.of("java", "-jar", "app.jar"),
            false,
            true,
            false,
            List.of(),
            false,
            "app"),
        0,
        List.of());
  }
}
