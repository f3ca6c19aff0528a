package dev.cryo.bench.cluster;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event as a node's log prints it ({@code TIME PROGRAM TYPE: MESSAGE}, the time to the
 * nanosecond): the cluster's events read this way are precise enough to split a failover of a few
 * seconds, where {@code cryo events} shows whole seconds.
 *
 * @param host the host whose node printed it
 */
public record NodeLogLine(String host, Instant time, String program, String type, String message) {
  private static final Pattern LINE = Pattern.compile("^(\\S+) (\\S+) ([a-z-]+): (.*)$");

  /** The event {@code line} of {@code host}'s log holds; empty for any other line. */
  public static Optional<NodeLogLine> parse(String host, String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new NodeLogLine(host, Instant.parse(m.group(1)), m.group(2), m.group(3), m.group(4)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
