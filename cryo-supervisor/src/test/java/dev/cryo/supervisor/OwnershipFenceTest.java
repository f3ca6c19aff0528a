package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.linux.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fence file that a node extends and a supervisor obeys. */
class OwnershipFenceTest {
  private static final long NOW = 5_000_000_000L;

  @TempDir Path dir;

  @Test
  void aFenceHoldsUntilItsDeadlineAndNotFromThenOn() throws Exception {
    Path fence = dir.resolve("fence");
    OwnershipFence.extend(fence, Duration.ofSeconds(3), NOW);

    assertThat(OwnershipFence.expired(fence, NOW + 2_999_999_999L)).as("just before").isFalse();
    assertThat(OwnershipFence.expired(fence, NOW + 3_000_000_000L)).as("at the deadline").isTrue();
  }

  @Test
  void extendingReplacesTheDeadline() throws Exception {
    Path fence = dir.resolve("fence");
    OwnershipFence.extend(fence, Duration.ofSeconds(3), NOW);
    OwnershipFence.extend(fence, Duration.ofSeconds(3), NOW + 2_000_000_000L);

    assertThat(OwnershipFence.expired(fence, NOW + 4_000_000_000L)).isFalse();
  }

  @Test
  void aFenceOnTheHostsClockHoldsForItsTime() throws Exception {
    Path fence = dir.resolve("fence");
    OwnershipFence.extend(fence, Duration.ofHours(1));

    assertThat(OwnershipFence.expired(fence)).isFalse();
    assertThat(Files.getPosixFilePermissions(fence)).as("private").isEqualTo(PrivateFiles.FILE);
  }

  @Test
  void aMissingOrUnreadableFenceCountsAsExpired() throws Exception {
    Path garbled = Files.writeString(dir.resolve("garbled"), "tomorrow\n");

    assertThat(OwnershipFence.expired(dir.resolve("missing"), NOW)).as("missing").isTrue();
    assertThat(OwnershipFence.expired(garbled, NOW)).as("not a number").isTrue();
  }
}
