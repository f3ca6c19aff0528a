package dev.cryo.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Several harnesses write one BENCHMARKS.md, each its own section between a pair of marker
 * comments; this is the one place that replaces a section (or appends it) without touching the
 * others, so that running one harness never erases another's figures.
 */
public final class BenchmarkSections {
  private BenchmarkSections() {}

  /**
   * Replaces the part of {@code file} from {@code begin} to {@code end} (markers included) with
   * {@code section}, which should itself start with {@code begin} and end with {@code end} and a
   * newline; appends it if the markers are not there, and creates the file with a heading if it
   * does not exist. Everything else in the file is kept.
   */
  public static void writeSection(Path file, String begin, String end, String section)
      throws IOException {
    String existing =
        Files.exists(file)
            ? Files.readString(file, StandardCharsets.UTF_8)
            : "# Benchmarks\n\nEvery figure here comes with the command that produced it and a baseline measured in the same run.\n\n";
    int from = existing.indexOf(begin);
    int to = existing.indexOf(end);
    String updated =
        from >= 0 && to > from
            ? existing.substring(0, from)
                + section
                + existing.substring(to + end.length()).replaceFirst("^\n", "")
            : existing + (existing.endsWith("\n\n") ? "" : "\n") + section;
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }

  /**
   * Appends how every section's first paragraph starts, {@code Produced by `COMMAND` on 2026-12-02
   * 11:31 UTC, } and the machine ({@link MachineFacts#describe()}), so that every section says
   * alike what produced its figures, when and where; returns {@code md}.
   */
  public static StringBuilder producedBy(StringBuilder md, String command) {
    return md.append("Produced by `")
        .append(command)
        .append("` on ")
        .append(
            ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
        .append(", ")
        .append(MachineFacts.describe());
  }
}
