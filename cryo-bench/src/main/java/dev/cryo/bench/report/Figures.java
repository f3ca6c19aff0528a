package dev.cryo.bench.report;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How the sections of BENCHMARKS.md write their figures (a median with its range, a ratio, a size,
 * a share, a rate) and their targets' rows: one way for all sections, so that a figure reads the
 * same wherever it appears.
 */
public final class Figures {
  private static final double MIB = 1024.0 * 1024.0;

  private Figures() {}

  /**
   * The median of {@code millis} with its range: {@code 2,150 ms (1,891–2,193)}, or one value
   * alone.
   */
  public static String spread(List<Double> millis) {
    return spread(millis, "ms");
  }

  /**
   * The median of {@code values} in {@code unit} (none if empty) with its range, to as many
   * decimals as a median of its size needs (none from 10 up or for whole numbers, one from 1, two
   * below).
   */
  public static String spread(List<Double> values, String unit) {
    double median = Statistics.median(values);
    boolean whole = values.stream().allMatch(v -> v == Math.rint(v)) && median == Math.rint(median);
    String format =
        whole || Double.isNaN(median) || Math.abs(median) >= 10
            ? "%,.0f"
            : Math.abs(median) >= 1 ? "%,.1f" : "%,.2f";
    String middle = String.format(Locale.ROOT, format, median) + (unit.isEmpty() ? "" : " " + unit);
    return values.size() <= 1
        ? middle
        : middle
            + " ("
            + String.format(Locale.ROOT, format, Collections.min(values))
            + "–"
            + String.format(Locale.ROOT, format, Collections.max(values))
            + ")";
  }

  /**
   * The median of {@code shares} (0 to 1) as a percentage with its range: {@code 14% (12–16%)}, or
   * one alone.
   */
  public static String percentSpread(List<Double> shares) {
    String median = String.format(Locale.ROOT, "%.0f%%", 100 * Statistics.median(shares));
    return shares.size() <= 1
        ? median
        : median
            + String.format(
                Locale.ROOT,
                " (%.0f–%.0f%%)",
                100 * Collections.min(shares),
                100 * Collections.max(shares));
  }

  /** A ratio such as {@code 1.3×}, or {@code n/a}. */
  public static String ratio(double ratio) {
    String n = number(ratio);
    return n.equals("n/a") ? n : n + "×";
  }

  /**
   * A dimensionless number to two significant figures or so: {@code 19}, {@code 4.9}, {@code 0.95},
   * or {@code n/a}.
   */
  public static String number(double x) {
    return Double.isNaN(x) || Double.isInfinite(x)
        ? "n/a"
        : String.format(Locale.ROOT, x >= 10 ? "%.0f" : x >= 1 ? "%.1f" : "%.2f", x);
  }

  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.1f MiB", bytes / MIB);
  }

  public static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
  }

  public static String rate(double bytesPerSecond) {
    return bytesPerSecond >= 1e9
        ? String.format(Locale.ROOT, "%.1f GB/s", bytesPerSecond / 1e9)
        : String.format(Locale.ROOT, "%,.0f MB/s", bytesPerSecond / 1e6);
  }

  /**
   * A row of a targets table: what is aimed at, the figures that decide it, and whether it is met.
   */
  public static void targetRow(StringBuilder md, String what, String measured, boolean met) {
    tableRow(md, what, measured, met ? "yes" : "**no**");
  }

  /**
   * A row of a Markdown table, {@code | a | b | c |} and a newline: every table of every section
   * writes its rows this way. An empty cell is an empty string.
   */
  public static void tableRow(StringBuilder md, Object... cells) {
    md.append("| ");
    for (int i = 0; i < cells.length; i++) {
      md.append(i == 0 ? "" : " | ").append(cells[i]);
    }
    md.append(" |\n");
  }
}
