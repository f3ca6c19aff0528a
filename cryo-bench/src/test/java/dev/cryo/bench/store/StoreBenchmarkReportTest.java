package dev.cryo.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBenchmarkReportTest {
  @TempDir
  Path tmp;

  private static String section(String body) {
    return StoreBenchmarkReport.BEGIN + "\n" + body + "\n" + StoreBenchmarkReport.END + "\n";
  }

  @Test
  void theSectionIsAppendedOnceAndThenReplacedLeavingOtherSectionsAlone() throws Exception {
    Path file = tmp.resolve("BENCHMARKS.md");
    Files.writeString(file, "# Benchmarks\n\n## Checkpoints\n\nfigures of another harness\n");

    StoreBenchmarkReport.writeSection(file, section("first run"));
    StoreBenchmarkReport.writeSection(file, section("second run"));

    String text = Files.readString(file);
    assertThat(text).contains("figures of another harness").contains("second run").doesNotContain("first run");
    assertThat(text.split(java.util.regex.Pattern.quote(StoreBenchmarkReport.BEGIN), -1)).hasSize(2);
  }

  @Test
  void aMissingFileGetsAHeadingAndTheSection() throws Exception {
    Path file = tmp.resolve("new.md");
    StoreBenchmarkReport.writeSection(file, section("figures"));
    assertThat(Files.readString(file)).startsWith("# Benchmarks").contains("figures");
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(StoreBenchmarkReport.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    assertThat(StoreBenchmarkReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }
}
