package dev.cryo.supervisor;

/**
 * How a supervised program ended, as its namespace's init recorded it: an exit code, a signal, or
 * unknown when nothing recorded it (the whole namespace was killed, or it died unwatched).
 *
 * @param code the exit code, or -1
 * @param signal the signal that killed it, or 0
 */
public record ExitStatus(int code, int signal) {
  public static final ExitStatus UNKNOWN = new ExitStatus(-1, 0);

  /** From a shell's {@code $?}: 128 + N means killed by signal N. */
  public static ExitStatus fromShell(int status) {
    return status > 128 && status < 128 + 65
        ? new ExitStatus(-1, status - 128)
        : new ExitStatus(status, 0);
  }

  /** From a raw wait status, as waitpid returns it. */
  public static ExitStatus fromWaitStatus(int status) {
    int signal = status & 0x7f;
    return signal == 0 ? fromShell((status >> 8) & 0xff) : new ExitStatus(-1, signal);
  }

  public boolean isCleanExit() {
    return code == 0;
  }

  public boolean isKnown() {
    return code >= 0 || signal > 0;
  }

  public String describe() {
    if (signal > 0) {
      return "killed by signal "
          + signal
          + (signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : "");
    }
    return code >= 0 ? "exited with code " + code : "ended, exit status unknown";
  }
}
