package dev.cryo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportArgumentsTest {
  private static final List<String> SECTIONS = List.of("restore", "load");

  @Test
  void withoutOnlyEverySectionIsIncluded() {
    ReportArguments a = ReportArguments.parse("scripts/bench", SECTIONS, "--quick");

    assertThat(a)
        .isEqualTo(new ReportArguments(true, Optional.empty(), Set.of(), Path.of("BENCHMARKS.md")));
    assertThat(a.includes("restore")).isTrue();
    assertThat(a.includes("load")).isTrue();
  }

  @Test
  void onlyIncludesTheNamedSection() {
    ReportArguments a =
        ReportArguments.parse("scripts/bench", SECTIONS, "--only", "load", "--output", "out.md");

    assertThat(a.includes("load")).isTrue();
    assertThat(a.includes("restore")).isFalse();
    assertThat(a.output()).isEqualTo(Path.of("out.md"));
  }

  @Test
  void skipLeavesOutTheNamedSectionsAndKeepsTheOthers() {
    ReportArguments a =
        ReportArguments.parse("scripts/bench", SECTIONS, "--quick", "--skip", "load");

    assertThat(a.includes("load")).as("a skipped section is left out").isFalse();
    assertThat(a.includes("restore")).as("the other sections still run").isTrue();
  }

  @Test
  void anUnknownSectionOrAMissingValueIsRefusedWithTheUsage() {
    assertThatThrownBy(() -> ReportArguments.parse("scripts/bench", SECTIONS, "--only", "heap"))
        .hasMessageContaining("no section heap")
        .hasMessageContaining("[--only restore|load] [--skip restore|load]...");
    assertThatThrownBy(() -> ReportArguments.parse("scripts/bench", SECTIONS, "--only"))
        .hasMessageContaining("--only needs a value");
    assertThatThrownBy(
            () -> ReportArguments.parse("scripts/bench-memory", List.of(), "--only", "load"))
        .hasMessageContaining("no section load")
        .hasMessageContaining("usage: scripts/bench-memory [--quick] [--output FILE]");
  }
}
