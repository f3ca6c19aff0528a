package dev.cryo.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The JDKs installed beside the harness's own, for the figures that need a newer one. */
public final class Jdks {
  /** The first JDK with the AOT cache of JEP 483/514 ({@code -XX:AOTCacheOutput}). */
  public static final int AOT_CACHE_FEATURE = 25;

  private Jdks() {
  }

  /** The java launcher of the JDK running the harness. */
  public static Path current() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The java launcher of the newest JDK under /usr/lib/jvm with an AOT cache, if any. */
  public static Optional<Path> withAotCache() {
    try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
      return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && feature(h) >= AOT_CACHE_FEATURE)
          .max(Comparator.comparingInt(Jdks::feature)).map(h -> h.resolve("bin/java"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The feature release in a JDK's {@code release} file (17, 25), or 0. */
  static int feature(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
