package dev.cryo.runtime.jvm;

import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * Keeps two restores of one image from producing the same random numbers. On Linux every {@code new
 * SecureRandom()} (and {@link java.util.UUID#randomUUID()}) draws from the {@code NativePRNG}
 * family, whose instances of each variant share one internal mixing generator: seeding it once with
 * fresh kernel entropy after a restore changes every such instance's output. Instances of other
 * algorithms (DRBG, SHA1PRNG) that the application created itself keep their state; docs/runtime.md
 * tells what to do about them.
 */
public final class RandomReseed implements CheckpointResource {
  private static final List<String> SHARED_STATE_ALGORITHMS =
      List.of("NativePRNG", "NativePRNGNonBlocking", "NativePRNGBlocking");
  private static final int SEED_BYTES = 64;

  @Override
  public void beforeCheckpoint() {
    // Nothing to do before: the state in the image is harmless until a second process shares it.
  }

  @Override
  public void afterRestore(Resumption resumption) throws IOException {
    if (resumption != Resumption.RESTORED) {
      return;
    }
    for (String algorithm : SHARED_STATE_ALGORITHMS) {
      try {
        SecureRandom.getInstance(algorithm).setSeed(freshSeed());
      } catch (NoSuchAlgorithmException e) {
        RuntimeLog.debug(algorithm + " is not available here; nothing to reseed");
      }
    }
  }

  private static byte[] freshSeed() throws IOException {
    byte[] seed = new byte[SEED_BYTES];
    try (InputStream kernel = Files.newInputStream(Path.of("/dev/urandom"))) {
      int read = 0;
      while (read < seed.length) {
        int n = kernel.read(seed, read, seed.length - read);
        if (n < 0) {
          throw new IOException("/dev/urandom ended");
        }
        read += n;
      }
    }
    return seed;
  }

  @Override
  public String toString() {
    return "cryo SecureRandom reseeding";
  }
}
