package dev.cryo.runtime.notify;

import dev.cryo.protocol.Durations;

/**
 * Why a checkpoint did not happen, in words for the person who asked for it: which resource refused
 * and what it said.
 *
 * @param resource the refusing resource's name, or null when the refusal is not a resource's
 * @param reason one line, meant to be shown as it is
 * @param cause the resource's exception, if it threw one
 */
public record Refusal(String resource, String reason, Throwable cause) {

  static Refusal threw(Registration registration, Throwable thrown) {
    String message =
        thrown.getMessage() == null
            ? thrown.getClass().getName()
            : thrown.getClass().getSimpleName() + ": " + thrown.getMessage();
    return new Refusal(
        registration.name(),
        "resource " + registration.name() + " refused the checkpoint: " + firstLine(message),
        thrown);
  }

  static Refusal timedOut(Registration registration) {
    return new Refusal(
        registration.name(),
        "resource "
            + registration.name()
            + " did not finish preparing for the checkpoint within "
            + Durations.format(registration.timeout()),
        null);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
