package dev.cryo.runtime.config;

import dev.cryo.protocol.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The runtime's settings, read from system properties (which the agent's arguments may set). Each
 * is documented in docs/runtime.md; every one has a default that works without setting it.
 */
public final class RuntimeSettings {
  public static final String COMMAND = "cryo.command";
  public static final String STORE = "cryo.store";
  public static final String CHECKPOINT_NAME = "cryo.checkpoint.name";
  public static final String LEAVE_RUNNING = "cryo.checkpoint.leaveRunning";
  public static final String RESOURCE_TIMEOUT = "cryo.resource.timeout";
  public static final String CONTROL_DIR = "cryo.control.dir";

  private static final Duration DEFAULT_RESOURCE_TIMEOUT = Duration.ofSeconds(10);

  private RuntimeSettings() {}

  /**
   * How long a resource may take to prepare for a checkpoint, unless it was registered with its own
   * timeout.
   */
  public static Duration resourceTimeout() {
    String value = System.getProperty(RESOURCE_TIMEOUT);
    if (value == null) {
      return DEFAULT_RESOURCE_TIMEOUT;
    }
    try {
      Duration timeout = Durations.parse(value);
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("'" + value + "' is not a positive duration");
      }
      return timeout;
    } catch (IllegalArgumentException e) {
      RuntimeLog.warn(
          "-D"
              + RESOURCE_TIMEOUT
              + ": "
              + e.getMessage()
              + "; using "
              + Durations.format(DEFAULT_RESOURCE_TIMEOUT));
      return DEFAULT_RESOURCE_TIMEOUT;
    }
  }

  public static Optional<String> store() {
    return Optional.ofNullable(System.getProperty(STORE)).filter(s -> !s.isBlank());
  }

  public static Optional<String> checkpointName() {
    return Optional.ofNullable(System.getProperty(CHECKPOINT_NAME)).filter(s -> !s.isBlank());
  }

  /**
   * Whether a checkpoint the application asks for leaves it running; like CRaC, it does not by
   * default.
   */
  public static boolean leaveRunning() {
    return Boolean.parseBoolean(System.getProperty(LEAVE_RUNNING, "false"));
  }

  /**
   * The {@code cryo} command that takes checkpoints the application asks for: {@code
   * -Dcryo.command}, else {@code $CRYO_HOME/bin/cryo}, else {@code cryo} on the PATH.
   */
  public static Optional<Path> command() {
    String configured = System.getProperty(COMMAND);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String home = System.getenv("CRYO_HOME");
    if (home != null && Files.isExecutable(Path.of(home, "bin", "cryo"))) {
      return Optional.of(Path.of(home, "bin", "cryo"));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "cryo"))) {
          return Optional.of(Path.of(dir, "cryo"));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the control directory was chosen for the runtime ({@code -Dcryo.control.dir}, else the
   * {@code CRYO_CONTROL_DIR} environment variable that {@code cryo run} sets) rather than by it.
   */
  public static boolean controlDirectoryConfigured() {
    return configuredControlDirectory().isPresent();
  }

  private static Optional<String> configuredControlDirectory() {
    String property = System.getProperty(CONTROL_DIR);
    if (property != null && !property.isBlank()) {
      return Optional.of(property);
    }
    String environment = System.getenv("CRYO_CONTROL_DIR");
    return environment != null && !environment.isBlank()
        ? Optional.of(environment)
        : Optional.empty();
  }

  /**
   * Where the control socket lives: {@code -Dcryo.control.dir}, else {@code $CRYO_CONTROL_DIR},
   * else a private directory per user.
   */
  public static Path controlDirectory(long uid) {
    Optional<String> configured = configuredControlDirectory();
    if (configured.isPresent()) {
      return Path.of(configured.get()).toAbsolutePath();
    }
    if (uid == 0) {
      return Path.of("/run/cryo");
    }
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    if (runtimeDir != null && !runtimeDir.isBlank() && Files.isDirectory(Path.of(runtimeDir))) {
      return Path.of(runtimeDir, "cryo");
    }
    return Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "cryo-" + uid);
  }
}
