package dev.cryo.protocol;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people write them ({@code 500ms}, {@code 10s}, {@code 2m}) and read them in
 * messages. Both ends read them one way: the runtime its settings ({@code
 * -Dcryo.resource.timeout}), cryo the timeouts it is given, and a timeout chosen for one is
 * understood by the other.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or an ISO-8601 duration such as
   * {@code PT10S}.
   */
  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("pt")) {
        return Duration.parse(value);
      }
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
      }
    } catch (RuntimeException e) {
      // Falls through to the message below.
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration; write it like 500ms, 10s, 2m or 1h");
  }

  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0 || millis < 1000) {
      return millis + " ms";
    }
    return (millis / 1000) + " s";
  }
}
