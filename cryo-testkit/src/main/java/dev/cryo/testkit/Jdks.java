package dev.cryo.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JDKs applications are run on: the one running the caller (the Java 17 baseline) and the
 * newest one installed under /usr/lib/jvm that is 25 or later, for the tests that check the runtime
 * on both and the figures that need the AOT cache.
 */
public final class Jdks {
  /** The first JDK with the AOT cache of JEP 483/514 ({@code -XX:AOTCacheOutput}). */
  public static final int AOT_CACHE_FEATURE = 25;

  private static final Path INSTALLED = Path.of("/usr/lib/jvm");

  /**
   * A JDK's java launcher and what a test names it by.
   *
   * @param label such as {@code java 25}
   * @param java the launcher, {@code HOME/bin/java}
   */
  public record Jdk(String label, Path java) {}

  private Jdks() {}

  /** The java launcher of the JDK running the caller. */
  public static Path current() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The current JDK, then the newest installed one of 25 or later if there is one. */
  public static List<Jdk> baselineAndLatest() {
    List<Jdk> jdks = new ArrayList<>();
    jdks.add(new Jdk("java " + Runtime.version().feature(), current()));
    withAotCache()
        .ifPresent(
            java -> jdks.add(new Jdk("java " + feature(java.getParent().getParent()), java)));
    return jdks;
  }

  /**
   * The java launcher of the newest JDK under /usr/lib/jvm with an AOT cache (25 or later), if any.
   */
  public static Optional<Path> withAotCache() {
    return newest(INSTALLED, AOT_CACHE_FEATURE);
  }

  /**
   * The java launcher of the newest JDK in {@code installed} of feature release {@code minimum} or
   * later.
   */
  static Optional<Path> newest(Path installed, int minimum) {
    try (Stream<Path> homes = Files.list(installed)) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")) && feature(h) >= minimum)
          .max(Comparator.comparingInt(Jdks::feature))
          .map(h -> h.resolve("bin/java"));
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
