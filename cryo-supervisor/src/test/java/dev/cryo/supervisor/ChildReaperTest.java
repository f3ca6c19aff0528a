package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChildReaperTest {
  @Test
  void awaitingAProcessReturnsOnceItHasEnded() throws Exception {
    Process shortLived = new ProcessBuilder("sleep", "0.2").start();

    ChildReaper.awaitExit((int) shortLived.pid(), Duration.ofSeconds(60));

    assertThat(hasEnded(shortLived.pid()))
        .as("the wait ended because the process did, not because the minute passed").isTrue();
  }

  /** Gone, or a zombie that the JDK has not reaped yet. */
  private static boolean hasEnded(long pid) throws java.io.IOException {
    java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
    if (!java.nio.file.Files.exists(stat)) {
      return true;
    }
    String text = java.nio.file.Files.readString(stat);
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state == 'Z' || state == 'X';
  }

  @Test
  void awaitingALiveProcessReturnsAfterTheTimeoutAndLeavesItRunning() throws Exception {
    Process longLived = new ProcessBuilder("sleep", "60").start();
    try {
      ChildReaper.awaitExit((int) longLived.pid(), Duration.ofMillis(100));

      assertThat(longLived.isAlive()).isTrue();
    } finally {
      longLived.destroyForcibly();
    }
  }

  @Test
  void awaitingAPidThatDoesNotExistReturnsAtOnce() {
    ChildReaper.awaitExit(Integer.MAX_VALUE, Duration.ofSeconds(60));
  }
}
