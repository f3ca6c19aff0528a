package dev.cryo.criu;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CRIU release number. Cryo needs a minimum release because older ones fail on current kernels
 * ({@link #MINIMUM}).
 */
public record CriuVersion(int major, int minor, int sublevel) implements Comparable<CriuVersion> {
  /**
   * 4.1 cannot dump TCP sockets on Linux 6.16 and later, and 3.x fails {@code criu check} on recent
   * vDSO layouts.
   */
  public static final CriuVersion MINIMUM = new CriuVersion(4, 2, 0);

  private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** Parses "4.2", "4.2.1" or the output of {@code criu --version} ("Version: 4.2.1"). */
  public static CriuVersion parse(String text) {
    Matcher m = NUMBER.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("no version number in '" + text.strip() + "'");
    }
    int sub = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return new CriuVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), sub);
  }

  public boolean isAtLeast(CriuVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(CriuVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(sublevel, o.sublevel);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + sublevel;
  }
}
