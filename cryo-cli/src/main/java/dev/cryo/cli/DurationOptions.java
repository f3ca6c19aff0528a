package dev.cryo.cli;

import dev.cryo.protocol.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Options that take a duration ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}): parsed once,
 * the same way.
 */
final class DurationOptions {
  private DurationOptions() {}

  /**
   * The duration {@code text} given to {@code option}, which must be positive and at most {@code
   * max}.
   *
   * @throws ParameterException a usage error (exit code 2) otherwise
   */
  static Duration positive(
      CommandLine command, String option, String text, Duration max, String maxText) {
    Duration duration;
    try {
      duration = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command, option + ": " + e.getMessage());
    }
    if (duration.isZero() || duration.isNegative() || duration.compareTo(max) > 0) {
      throw new ParameterException(
          command, option + " must be positive and at most " + maxText + ", not " + text);
    }
    return duration;
  }
}
