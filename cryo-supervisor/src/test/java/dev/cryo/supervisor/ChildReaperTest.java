package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChildReaperTest {
  @Test
  void awaitingAProcessReturnsOnceItHasEnded() throws Exception {
    Process shortLived = new ProcessBuilder("sleep", "0.2").start();

    ChildReaper.awaitExit((int) shortLived.pid(), Duration.ofSeconds(60));

    assertThat(hasEnded(shortLived.pid()))
        .as("the wait ended because the process did, not because the minute passed")
        .isTrue();
  }

  /** Gone, or a zombie that the JDK has not reaped yet. */
  private static boolean hasEnded(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      // No such file, or "No such process": the JDK reaped it while it was being read.
      return true;
    }
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
