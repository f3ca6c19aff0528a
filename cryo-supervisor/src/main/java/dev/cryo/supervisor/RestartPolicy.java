package dev.cryo.supervisor;

import java.util.Locale;

/** When a supervised program that ended is brought back ({@code cryo run --restart}). */
public enum RestartPolicy {
  /** After any signal or non-zero exit code; a clean exit (0) ends the run. */
  ON_CRASH,
  /** After every ending, clean exits included. */
  ALWAYS,
  /** Never: the run ends with the program. */
  NEVER;

  public boolean restartsAfter(ExitStatus status) {
    return switch (this) {
      case ALWAYS -> true;
      case NEVER -> false;
      case ON_CRASH -> !status.isCleanExit();
    };
  }

  /** As written on the command line: {@code on-crash}, {@code always}, {@code never}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static RestartPolicy parse(String text) {
    for (RestartPolicy policy : values()) {
      if (policy.label().equals(text)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("expected on-crash, always or never, not '" + text + "'");
  }
}
