package dev.cryo.bench;

import dev.cryo.bench.report.BenchmarkSections;

/**
 * The run of {@code scripts/bench} that measured a section's figures, as each of its sections of
 * BENCHMARKS.md opens by saying: the command, when and where it ran, CRIU's version, how many
 * trials, and whether it was the smoke configuration.
 *
 * @param command the command line, such as {@code scripts/bench --only load}
 * @param quick whether it was the smoke configuration ({@code --quick})
 * @param trials how many trials of each measurement
 * @param criu CRIU's version, as {@code criu --version} says it
 */
record BenchRun(String command, boolean quick, int trials, String criu) {
  /**
   * The section's opening: {@code begin}, its {@code title} as a heading, and the paragraph about
   * this run, in which {@code eachOf} follows the number of trials and {@code smoke} says what the
   * smoke configuration leaves out.
   */
  StringBuilder opening(String begin, String title, String eachOf, String smoke) {
    StringBuilder md = new StringBuilder(begin).append("\n## ").append(title).append("\n\n");
    BenchmarkSections.producedBy(md, command)
        .append(", ")
        .append(criu)
        .append(". ")
        .append(trials)
        .append(trials == 1 ? " trial" : " trials")
        .append(eachOf);
    if (quick) {
      md.append(" **Smoke configuration (`--quick`): ").append(smoke).append("**");
    }
    return md.append("\n\n");
  }
}
