package dev.cryo.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this copy of cryo lives: the java that runs it and its jar (to start supervisors), and the
 * runtime agent jar that supervised JVMs get. {@code bin/cryo} sets {@code cryo.home}; the jar's
 * own location is the fallback.
 */
final class Installation {
  private Installation() {}

  static Path java() {
    return ProcessHandle.current()
        .info()
        .command()
        .map(Path::of)
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  static Path cliJar() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot tell where cryo's jar is", e);
    }
  }

  /** The runtime agent jar, if this installation has one. */
  static Optional<Path> runtimeJar() {
    String configured = System.getProperty("cryo.runtime.jar");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isRegularFile);
    }
    Path home =
        System.getProperty("cryo.home") != null
            ? Path.of(System.getProperty("cryo.home"))
            : cliJar().getParent().getParent().getParent();
    return Optional.of(home.resolve("cryo-runtime/target/cryo-runtime.jar"))
        .filter(Files::isRegularFile);
  }
}
