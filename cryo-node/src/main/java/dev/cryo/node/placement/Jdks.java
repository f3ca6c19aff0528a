package dev.cryo.node.placement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** What makes a directory a JDK, and which JDKs a host holds. */
final class Jdks {
  static final String LAUNCHER = "bin/java";
  static final String LIBJVM = "lib/server/libjvm.so";
  static final String MODULES = "lib/modules";
  static final String CDS_ARCHIVE = "lib/server/classes.jsa";

  private Jdks() {}

  /** Whether {@code home} is a JDK (or JRE) with a server VM and a module image. */
  static boolean isJdk(Path home) {
    return Files.isRegularFile(home.resolve(LAUNCHER))
        && Files.isRegularFile(home.resolve(LIBJVM))
        && Files.isRegularFile(home.resolve(MODULES));
  }

  /** The JDK whose launcher {@code executable} (symbolic links resolved) is, if it is one. */
  static Optional<Path> homeOfLauncher(Path executable) {
    Path bin = executable.getParent();
    if (bin == null || bin.getParent() == null) {
      return Optional.empty();
    }
    Path home = bin.getParent();
    return home.resolve(LAUNCHER).equals(executable) && isJdk(home)
        ? Optional.of(home)
        : Optional.empty();
  }

  /**
   * The JDKs in {@code jvmRoot} (such as /usr/lib/jvm) and {@code javaHome}, each once however many
   * links lead to it, in that order.
   */
  static List<JdkFacts> find(Path jvmRoot, Path javaHome, FileFingerprints fingerprints) {
    Set<Path> homes = new LinkedHashSet<>();
    if (Files.isDirectory(jvmRoot)) {
      try (Stream<Path> entries = Files.list(jvmRoot)) {
        entries.sorted().filter(Jdks::isJdk).map(Jdks::real).forEach(homes::add);
      } catch (IOException e) {
        // an unreadable JDK directory: this host offers no JDKs from there
      }
    }
    if (javaHome != null && isJdk(javaHome)) {
      homes.add(real(javaHome));
    }
    List<JdkFacts> jdks = new ArrayList<>();
    for (Path home : homes) {
      try {
        jdks.add(
            new JdkFacts(home.toString(), runtimeVersion(home), fingerprint(home, fingerprints)));
      } catch (IOException e) {
        // a JDK whose files cannot be read here cannot run a program here either
      }
    }
    return jdks;
  }

  /**
   * SHA-256 over the names and SHA-256s of libjvm.so and lib/modules: two JDKs with equal
   * fingerprints map the same bytes into a JVM.
   */
  static String fingerprint(Path home, FileFingerprints fingerprints) throws IOException {
    MessageDigest digest = FileFingerprints.sha256();
    for (String file : List.of(LIBJVM, MODULES)) {
      String line = file + " " + fingerprints.sha256(home.resolve(file)) + "\n";
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** JAVA_RUNTIME_VERSION from the JDK's {@code release} file, or null. */
  static String runtimeVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
          String value = line.substring("JAVA_RUNTIME_VERSION=".length()).trim();
          return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
              ? value.substring(1, value.length() - 1)
              : value;
        }
      }
    } catch (IOException e) {
      // no release file: a hand-built JDK
    }
    return null;
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
