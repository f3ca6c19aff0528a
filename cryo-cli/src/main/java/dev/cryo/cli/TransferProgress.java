package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.repository.TransferListener;
import dev.cryo.repository.TransferSummary;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows a push or pull: on a terminal, a bar redrawn a few times a second with bytes, rate and time
 * left; elsewhere, nothing until the one summary line, so logs stay readable.
 */
final class TransferProgress implements TransferListener {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int BAR_WIDTH = 24;

  private final PrintWriter err;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long lastDrawn;
  private boolean drawn;

  TransferProgress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Progress on {@code err}, drawn as a bar if this process has a terminal. */
  static TransferProgress on(PrintWriter err) {
    return new TransferProgress(err, System.console() != null);
  }

  @Override
  public void progressed(long done, long total, long transferred) {
    long now = System.nanoTime();
    if (!terminal || now - lastDrawn < REDRAW_NANOS) {
      return;
    }
    lastDrawn = now;
    drawn = true;
    err.print("\r" + bar(done, total, transferred, Duration.ofNanos(now - started)) + "\033[K");
    err.flush();
  }

  static String bar(long done, long total, long transferred, Duration elapsed) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
    long rate = (long) (done / seconds);
    String left =
        rate == 0 ? "?" : HumanUnits.seconds(Duration.ofMillis((total - done) * 1000 / rate));
    return String.format(
        "[%s%s] %3d%%  %s of %s  %s/s  %s sent or received  %s left",
        "#".repeat(filled),
        " ".repeat(BAR_WIDTH - filled),
        Math.round(fraction * 100),
        HumanUnits.bytes(done),
        HumanUnits.bytes(total),
        HumanUnits.bytes(rate),
        HumanUnits.bytes(transferred),
        left);
  }

  /** Clears the bar, if one was drawn, and prints {@code line}. */
  void finish(String line) {
    if (drawn) {
      err.print("\r\033[K");
    }
    err.println(line);
    err.flush();
  }

  /** What a push did, in one line: bytes read, bytes sent, how much less, and the time. */
  static String pushed(String label, String location, TransferSummary s) {
    if (s.chunks() == 0) {
      return label + " is in " + location + " already; nothing sent";
    }
    return String.format(
        "pushed %s to %s: read %s, uploaded %s (%s chunks of %s were new; %s less), in %s",
        label,
        location,
        HumanUnits.bytes(s.checkpointBytes()),
        HumanUnits.bytes(s.transferredBytes()),
        s.transferredChunks(),
        s.chunks(),
        ratio(s),
        HumanUnits.seconds(s.elapsed()));
  }

  /** What a pull did, in one line. */
  static String pulled(String label, String location, TransferSummary s) {
    if (s.chunks() == 0) {
      return label + " is in the local store already, intact; nothing downloaded";
    }
    return String.format(
        "pulled %s from %s: %s in %s chunks, downloaded %s, in %s",
        label,
        location,
        HumanUnits.bytes(s.checkpointBytes()),
        s.chunks(),
        HumanUnits.bytes(s.transferredBytes()),
        HumanUnits.seconds(s.elapsed()));
  }

  private static String ratio(TransferSummary s) {
    double r = s.reduction();
    return Double.isInfinite(r) ? "nothing new" : String.format("%.1fx", r);
  }
}
