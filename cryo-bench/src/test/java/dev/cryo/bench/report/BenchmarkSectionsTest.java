package dev.cryo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkSectionsTest {
  private static final String BEGIN = "<!-- one harness: begin -->";
  private static final String END = "<!-- one harness: end -->";
  private static final String OTHER_BEGIN = "<!-- another harness: begin -->";
  private static final String OTHER_END = "<!-- another harness: end -->";

  @TempDir Path tmp;

  private static String section(String begin, String end, String body) {
    return begin + "\n" + body + "\n" + end + "\n";
  }

  @Test
  void theSectionIsAppendedOnceAndThenReplacedLeavingOtherSectionsAlone() throws Exception {
    Path file = tmp.resolve("BENCHMARKS.md");
    Files.writeString(file, "# Benchmarks\n\n## Checkpoints\n\nfigures of another harness\n");

    BenchmarkSections.writeSection(file, BEGIN, END, section(BEGIN, END, "first run"));
    BenchmarkSections.writeSection(file, BEGIN, END, section(BEGIN, END, "second run"));

    String text = Files.readString(file);
    assertThat(text)
        .contains("figures of another harness")
        .contains("second run")
        .doesNotContain("first run");
    assertThat(text.split(Pattern.quote(BEGIN), -1)).hasSize(2);
  }

  @Test
  void twoHarnessesKeepEachOthersSections() throws Exception {
    Path file = tmp.resolve("BENCHMARKS.md");
    BenchmarkSections.writeSection(file, BEGIN, END, section(BEGIN, END, "ours, first"));
    BenchmarkSections.writeSection(
        file, OTHER_BEGIN, OTHER_END, section(OTHER_BEGIN, OTHER_END, "theirs"));
    BenchmarkSections.writeSection(file, BEGIN, END, section(BEGIN, END, "ours, second"));

    String text = Files.readString(file);
    assertThat(text).contains("theirs").contains("ours, second").doesNotContain("ours, first");
    assertThat(text.indexOf("ours, second")).isLessThan(text.indexOf("theirs"));
  }

  @Test
  void aMissingFileGetsAHeadingAndTheSection() throws Exception {
    Path file = tmp.resolve("new.md");
    BenchmarkSections.writeSection(file, BEGIN, END, section(BEGIN, END, "figures"));
    assertThat(Files.readString(file)).startsWith("# Benchmarks").contains("figures");
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Statistics.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    assertThat(Statistics.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }
}
