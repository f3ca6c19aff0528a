package dev.cryo.doctor;

/**
 * One line of a health report: what was looked at, what was found, and what to do about it.
 *
 * @param advice empty when there is nothing to do
 */
public record Finding(Status status, String subject, String detail, String advice) {
  /** How a finding affects Cryo. */
  public enum Status {
    /** Present and working. */
    OK,
    /** Works, but something optional is missing or degraded. */
    WARN,
    /** Cryo cannot checkpoint or restore until this is fixed. */
    MISSING
  }

  static Finding ok(String subject, String detail) {
    return new Finding(Status.OK, subject, detail, "");
  }

  static Finding warn(String subject, String detail, String advice) {
    return new Finding(Status.WARN, subject, detail, advice);
  }

  static Finding missing(String subject, String detail, String advice) {
    return new Finding(Status.MISSING, subject, detail, advice);
  }
}
