package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The PID a process has in its own PID namespace, which is what it calls itself (and names its
 * control socket by), as opposed to the PID this process sees. The two differ for programs that
 * {@code cryo run} starts in a PID namespace, where they stay the same across restores.
 */
public final class NamespacePids {
  private NamespacePids() {
  }

  /**
   * The last {@code NSpid} entry of {@code /proc/PID/status}: {@code pid} itself for a process of
   * this PID namespace, empty when the process is gone.
   */
  public static OptionalInt innermost(int pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("NSpid:")) {
          String[] pids = line.substring(6).trim().split("\\s+");
          return OptionalInt.of(Integer.parseInt(pids[pids.length - 1]));
        }
      }
      return OptionalInt.of(pid);
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }
}
