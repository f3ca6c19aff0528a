package dev.cryo.supervisor;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The deadline until which a run placed by a node may keep its program on this host: the node
 * extends it for as long as it holds the program's ownership in the cluster, and the run's
 * supervisor ends the program for good once it has passed ({@link Supervisor}). Another host may
 * take the program over once the node's lease has run out, so a supervisor that cannot tell whether
 * its node still owns the program must assume it does not: a fence file that is missing, unreadable
 * or malformed counts as expired.
 *
 * <p>The file holds one decimal number, the deadline in nanoseconds of the host's monotonic clock.
 * {@link System#nanoTime} is that clock ({@code CLOCK_MONOTONIC}) on Linux with HotSpot, one for
 * the whole system, so the node's process and the supervisor's read the same time; unlike the wall
 * clock it never jumps. It starts again at each boot, which ends every run anyway. Written by
 * replacing the file atomically, private (0600), so that a reader never sees half a deadline.
 */
public final class OwnershipFence {
  private OwnershipFence() {}

  /** Sets the deadline {@code validFor} from now. */
  public static void extend(Path file, Duration validFor) throws IOException {
    extend(file, validFor, System.nanoTime());
  }

  /** Whether the deadline has passed, or cannot be read. */
  public static boolean expired(Path file) {
    return expired(file, System.nanoTime());
  }

  static void extend(Path file, Duration validFor, long nowNanos) throws IOException {
    long deadline = nowNanos + validFor.toNanos();
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    PrivateFiles.write(temporary, (deadline + "\n").getBytes(StandardCharsets.US_ASCII));
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static boolean expired(Path file, long nowNanos) {
    long deadline;
    try {
      deadline = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return true;
    }
    // Compared as nanoTime values must be: by their difference, which survives overflow.
    return nowNanos - deadline >= 0;
  }
}
