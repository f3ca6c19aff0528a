package dev.cryo.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much memory this machine has and how much it could give a program now, from /proc/meminfo: a
 * host restoring a program needs room for its image.
 *
 * @param totalBytes MemTotal
 * @param availableBytes MemAvailable, the kernel's estimate of what can be had without swapping
 */
public record MemoryInfo(long totalBytes, long availableBytes) {
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  /** This machine's memory now; zeros where /proc/meminfo cannot be read. */
  public static MemoryInfo read() {
    return parse(ProcFiles.lines(MEMINFO, StandardCharsets.ISO_8859_1).orElse(List.of()));
  }

  /** From the lines of /proc/meminfo ({@code MemTotal: 24683584 kB}). */
  static MemoryInfo parse(List<String> meminfo) {
    long total = bytes(meminfo, "MemTotal").orElse(0);
    long available = bytes(meminfo, "MemAvailable").orElse(bytes(meminfo, "MemFree").orElse(0));
    return new MemoryInfo(total, available);
  }

  private static OptionalLong bytes(List<String> meminfo, String key) {
    for (String line : meminfo) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equals(key)) {
        String[] value = line.substring(colon + 1).trim().split("\\s+");
        try {
          long number = Long.parseLong(value[0]);
          boolean kibibytes = value.length > 1 && value[1].equalsIgnoreCase("kB");
          return OptionalLong.of(kibibytes ? number * 1024 : number);
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }
}
