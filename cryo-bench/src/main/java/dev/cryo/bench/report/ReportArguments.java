package dev.cryo.bench.report;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line every benchmark report takes: {@code [--quick] [--only SECTION] [--skip
 * SECTION]... [--output FILE]}, the smaller configuration, one of the report's sections alone (for
 * a report that writes more than one), sections left out (the smoke run leaves out the slow ones),
 * and the file whose sections it writes (BENCHMARKS.md by default).
 */
public record ReportArguments(
    boolean quick, Optional<String> only, Set<String> skipped, Path output) {

  /**
   * Parses {@code args}; {@code program} names the report in the usage message of a bad argument,
   * and {@code sections} are the names {@code --only} accepts (none: the option is refused).
   */
  public static ReportArguments parse(String program, List<String> sections, String... args) {
    boolean quick = false;
    Optional<String> only = Optional.empty();
    Set<String> skipped = new LinkedHashSet<>();
    Path output = Path.of("BENCHMARKS.md");
    String usage =
        "usage: "
            + program
            + " [--quick]"
            + (sections.isEmpty()
                ? ""
                : " [--only "
                    + String.join("|", sections)
                    + "] [--skip "
                    + String.join("|", sections)
                    + "]...")
            + " [--output FILE]";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--output" -> output = Path.of(value(args, ++i, usage));
        case "--only" -> {
          String section = value(args, ++i, usage);
          if (!sections.contains(section)) {
            throw new IllegalArgumentException("no section " + section + "; " + usage);
          }
          only = Optional.of(section);
        }
        case "--skip" -> {
          String section = value(args, ++i, usage);
          if (!sections.contains(section)) {
            throw new IllegalArgumentException("no section " + section + "; " + usage);
          }
          skipped.add(section);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + usage);
      }
    }
    return new ReportArguments(quick, only, Set.copyOf(skipped), output);
  }

  private static String value(String[] args, int i, String usage) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value; " + usage);
    }
    return args[i];
  }

  /**
   * Whether this run measures and writes {@code section}: every section unless {@code --only} names
   * another or {@code --skip} names this one.
   */
  public boolean includes(String section) {
    return (only.isEmpty() || only.get().equals(section)) && !skipped.contains(section);
  }
}
