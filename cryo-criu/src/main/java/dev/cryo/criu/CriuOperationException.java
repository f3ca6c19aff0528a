package dev.cryo.criu;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dump, restore or check that CRIU refused or failed. It carries what CRIU said: its errno and
 * message when it sent them, and the error lines of its log, so that a caller can explain the
 * failure without opening the log.
 */
public class CriuOperationException extends CriuException {
  /**
   * CRIU's line when the kernel refused it a process's resource limits (prlimit64 failing with
   * EPERM).
   */
  private static final Pattern RESOURCE_LIMITS_DENIED =
      Pattern.compile("Can't get rlimit \\d+: Operation not permitted");

  /** CRIU's line naming the process whose dump failed. */
  private static final Pattern FAILED_DUMP = Pattern.compile("Dump core \\(pid: (\\d+)\\) failed");

  private final String operation;
  private final int criuErrno;
  private final String criuMessage;
  private final List<String> logExcerpt;
  private final Path logFile;

  public CriuOperationException(
      String operation,
      int criuErrno,
      String criuMessage,
      List<String> logExcerpt,
      Path logFile,
      Throwable cause) {
    super(describe(operation, criuErrno, criuMessage, logExcerpt, cause), cause);
    this.operation = operation;
    this.criuErrno = criuErrno;
    this.criuMessage = criuMessage;
    this.logExcerpt = List.copyOf(logExcerpt);
    this.logFile = logFile;
  }

  private static String describe(
      String operation, int errno, String message, List<String> log, Throwable cause) {
    StringBuilder text = new StringBuilder("criu ").append(operation).append(" failed");
    if (cause != null) {
      text.append(": ").append(cause.getMessage());
    } else if (!log.isEmpty()) {
      text.append(": ").append(CriuLog.withoutPrefix(CriuLog.cause(log)));
    } else if (message != null && !message.isBlank()) {
      text.append(": ").append(message.strip());
    }
    if (errno > 0) {
      text.append(" (errno ").append(errno).append(')');
    }
    return text.toString();
  }

  /** The same failure, its log having moved to {@code movedLog}. */
  public CriuOperationException withLogFile(Path movedLog) {
    CriuOperationException moved =
        new CriuOperationException(
            operation, criuErrno, criuMessage, logExcerpt, movedLog, getCause());
    moved.setStackTrace(getStackTrace());
    return moved;
  }

  /** Whether CRIU ran out of space writing images. */
  public boolean noSpaceLeft() {
    return logExcerpt.stream().anyMatch(l -> l.contains("No space left on device"))
        || (criuMessage != null && criuMessage.contains("No space left on device"));
  }

  /**
   * Whether CRIU was not permitted to read the resource limits of a process it dumped: the kernel
   * refuses them for a process of another user or group unless CRIU has CAP_SYS_RESOURCE.
   */
  public boolean resourceLimitsDenied() {
    return logExcerpt.stream().anyMatch(l -> RESOURCE_LIMITS_DENIED.matcher(l).find())
        || (criuMessage != null && RESOURCE_LIMITS_DENIED.matcher(criuMessage).find());
  }

  /** The PID of the process whose dump failed, where CRIU's log names it. */
  public OptionalInt failedDumpPid() {
    for (String line : logExcerpt) {
      Matcher m = FAILED_DUMP.matcher(line);
      if (m.find()) {
        return OptionalInt.of(Integer.parseInt(m.group(1)));
      }
    }
    return OptionalInt.empty();
  }

  /** "dump", "restore", "check". */
  public String operation() {
    return operation;
  }

  /** CRIU's errno for the failure, or 0 when it gave none. */
  public int criuErrno() {
    return criuErrno;
  }

  /** CRIU's own error message, where it sent one. */
  public Optional<String> criuMessage() {
    return Optional.ofNullable(criuMessage);
  }

  /** The lines of CRIU's log that explain the failure, oldest first. */
  public List<String> logExcerpt() {
    return logExcerpt;
  }

  /** The whole log, where the operation wrote one. */
  public Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }
}
