package dev.cryo.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The summary statistics the reports print, computed one way for all harnesses. */
public final class Statistics {
  private Statistics() {}

  /** The median; the mean of the middle two for an even count, NaN for none. */
  public static double median(Collection<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
