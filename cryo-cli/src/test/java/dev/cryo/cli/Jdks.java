package dev.cryo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDKs the runtime's integration tests run applications on: the one running the tests (the
 * Java 17 baseline) and the newest JDK 25 or later installed under /usr/lib/jvm.
 */
final class Jdks {
  private static final Pattern FEATURE = Pattern.compile("(?:^|-)(\\d+)(?:-|$)");

  private Jdks() {
  }

  /** Arguments for parameterized tests: a label and a java binary. */
  static Stream<org.junit.jupiter.params.provider.Arguments> baselineAndLatest() {
    List<org.junit.jupiter.params.provider.Arguments> jdks = new ArrayList<>();
    jdks.add(org.junit.jupiter.params.provider.Arguments.of("java " + Runtime.version().feature(), Processes.javaBinary()));
    latest().ifPresent(java -> jdks.add(org.junit.jupiter.params.provider.Arguments.of("java " + featureOf(java), java.toString())));
    return jdks.stream();
  }

  static Optional<Path> latest() {
    try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
      return installed.filter(dir -> featureOf(dir) >= 25)
          .filter(dir -> Files.isExecutable(dir.resolve("bin/java")))
          .max(Comparator.comparingInt(Jdks::featureOf))
          .map(dir -> dir.resolve("bin/java"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int featureOf(Path path) {
    for (Path part : path) {
      Matcher m = FEATURE.matcher(part.toString());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return 0;
  }
}
