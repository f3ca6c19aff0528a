package dev.cryo.criu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Picks the lines that explain a failure out of a CRIU log. */
final class CriuLog {
  private static final int MAX_LINES = 12;
  private static final Pattern PREFIX =
      Pattern.compile("^(\\(\\s*[0-9.]+\\)\\s*)?(Error|Warn)\\s*\\([^)]*\\):\\s*");

  /** Logged on every run where CRIU lacks CAP_SYS_RESOURCE for itself; it changes nothing. */
  private static final String HARMLESS = "Can't setup RLIMIT_NOFILE for self";

  /** CRIU's closing summaries, which explain nothing by themselves. */
  private static final Pattern SUMMARY = Pattern.compile("(Dumping|Restoring) FAILED\\.?\\s*$");

  private CriuLog() {}

  /** The error lines of a log, oldest first, at most a dozen, without noise. */
  static List<String> errors(List<String> lines) {
    List<String> errors =
        lines.stream()
            .filter(l -> l.contains("Error (") || l.startsWith("Error") || l.contains("): Error"))
            .filter(l -> !l.contains(HARMLESS))
            .map(String::strip)
            .collect(Collectors.toList());
    return last(errors);
  }

  /** The last dozen lines of a list, enough to explain a failure without flooding the reader. */
  static List<String> last(List<String> lines) {
    return lines.size() <= MAX_LINES
        ? lines
        : lines.subList(lines.size() - MAX_LINES, lines.size());
  }

  static List<String> errors(Path log) {
    if (log == null || !Files.isReadable(log)) {
      return List.of();
    }
    try {
      return errors(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The line that best names the cause: the first error that is not a closing summary. */
  static String cause(List<String> errors) {
    return errors.stream()
        .filter(l -> !SUMMARY.matcher(l).find())
        .findFirst()
        .orElse(errors.isEmpty() ? "" : errors.get(0));
  }

  static String withoutPrefix(String line) {
    return PREFIX.matcher(line).replaceFirst("").strip();
  }
}
