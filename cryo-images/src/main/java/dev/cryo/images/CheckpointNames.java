package dev.cryo.images;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How checkpoints are named: each has an id made of its UTC time and random digits, unique without
 * telling participants, and may have a name a person chose. A name never looks like an id, so a
 * reference to either is never ambiguous.
 */
final class CheckpointNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ID = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();

  private CheckpointNames() {}

  /** A new id, such as {@code 20260101-120000-3fa2c1}. */
  static String newId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(ID_TIME)
        + "-"
        + String.format("%06x", RANDOM.nextInt(1 << 24));
  }

  static boolean isId(String reference) {
    return ID.matcher(reference).matches();
  }

  /** Why {@code name} cannot name a checkpoint, if it cannot. */
  static Optional<String> invalidNameReason(String name) {
    if (NAME.matcher(name).matches() && !isId(name)) {
      return Optional.empty();
    }
    return Optional.of(
        "invalid checkpoint name '"
            + name
            + "': use 1 to 64 letters, digits, '.', '_'"
            + " or '-', starting with a letter or digit, and not shaped like a checkpoint id");
  }
}
