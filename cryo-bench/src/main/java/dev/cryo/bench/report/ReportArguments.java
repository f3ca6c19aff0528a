package dev.cryo.bench.report;

import java.nio.file.Path;

/**
 * The command line every benchmark report takes: {@code [--quick] [--output FILE]}, the smaller
 * configuration and the file whose section it writes (BENCHMARKS.md by default).
 */
public record ReportArguments(boolean quick, Path output) {

  /** Parses {@code args}; {@code program} names the report in the usage message of a bad argument. */
  public static ReportArguments parse(String program, String... args) {
    boolean quick = false;
    Path output = Path.of("BENCHMARKS.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--output" -> output = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: " + program + " [--quick] [--output FILE]");
      }
    }
    return new ReportArguments(quick, output);
  }
}
