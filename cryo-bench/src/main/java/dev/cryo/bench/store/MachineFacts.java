package dev.cryo.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on, in one line for the report. */
final class MachineFacts {
  private MachineFacts() {
  }

  static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
    } catch (IOException ignored) {
      // Reported as unknown.
    }
    String kernel = System.getProperty("os.version");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
        + "Linux " + kernel + ", JDK " + System.getProperty("java.version")
        + ", files in " + System.getProperty("cryo.bench.dir", System.getProperty("java.io.tmpdir"));
  }
}
