package dev.cryo.bench.remote;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The figures in the one line {@code cryo push} and {@code cryo pull} print when done. */
public final class TransferLines {
  private static final String SIZE = "(\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB)";
  private static final Pattern PUSHED =
      Pattern.compile(
          "pushed \\S+ to \\S+: read "
              + SIZE
              + ", uploaded "
              + SIZE
              + " \\((\\d+) chunks of (\\d+) were new; [^)]*\\), in (\\d+(?:\\.\\d+)?) s");
  private static final Pattern PULLED =
      Pattern.compile(
          "pulled \\S+ from \\S+: "
              + SIZE
              + " in (\\d+) chunks, downloaded "
              + SIZE
              + ", in (\\d+(?:\\.\\d+)?) s");

  private TransferLines() {}

  /**
   * One push or pull.
   *
   * @param checkpointBytes the checkpoint's files (to the 0.1 of a unit printed)
   * @param transferredBytes what was uploaded or downloaded: compressed, encrypted, only new chunks
   * @param newChunks the chunks uploaded (for a pull, all of them)
   * @param chunks the chunks the checkpoint is made of
   * @param seconds the command's own time for the transfer, without its JVM's start
   */
  public record Transfer(
      long checkpointBytes, long transferredBytes, int newChunks, int chunks, double seconds) {
    /** What was sent over the checkpoint's size. */
    public double transferredShare() {
      return (double) transferredBytes / checkpointBytes;
    }
  }

  public static Transfer pushed(String stderr) {
    Matcher m = PUSHED.matcher(stderr);
    if (!m.find()) {
      throw new IllegalStateException("no summary line in cryo push's output:\n" + stderr);
    }
    return new Transfer(
        bytes(m.group(1), m.group(2)),
        bytes(m.group(3), m.group(4)),
        Integer.parseInt(m.group(5)),
        Integer.parseInt(m.group(6)),
        Double.parseDouble(m.group(7)));
  }

  public static Transfer pulled(String stderr) {
    Matcher m = PULLED.matcher(stderr);
    if (!m.find()) {
      throw new IllegalStateException("no summary line in cryo pull's output:\n" + stderr);
    }
    int chunks = Integer.parseInt(m.group(3));
    return new Transfer(
        bytes(m.group(1), m.group(2)),
        bytes(m.group(4), m.group(5)),
        chunks,
        chunks,
        Double.parseDouble(m.group(6)));
  }

  private static long bytes(String number, String unit) {
    int power = List.of("B", "KiB", "MiB", "GiB", "TiB").indexOf(unit);
    return Math.round(Double.parseDouble(number) * Math.pow(1024, power));
  }
}
