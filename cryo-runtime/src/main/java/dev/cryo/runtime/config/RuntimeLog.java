package dev.cryo.runtime.config;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The runtime's messages, one line each on standard error with a {@code [cryo]} prefix. The level
 * comes from {@code -Dcryo.log=quiet|info|debug} (default {@code info}). Nothing here ever logs
 * application data: only resource names, paths and reasons.
 */
public final class RuntimeLog {
  /** How much the runtime says. */
  public enum Level {
    QUIET,
    INFO,
    DEBUG
  }

  private static volatile Level level = parse(System.getProperty("cryo.log", "info"));
  private static final PrintStream OUT = System.err;

  private RuntimeLog() {}

  private static Level parse(String text) {
    try {
      return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  public static void info(String message) {
    if (level.compareTo(Level.INFO) >= 0) {
      OUT.println("[cryo] " + message);
    }
  }

  public static void debug(String message) {
    if (level == Level.DEBUG) {
      OUT.println("[cryo] " + message);
    }
  }

  /** Warnings are shown unless the level is quiet. */
  public static void warn(String message) {
    if (level != Level.QUIET) {
      OUT.println("[cryo] warning: " + message);
    }
  }
}
