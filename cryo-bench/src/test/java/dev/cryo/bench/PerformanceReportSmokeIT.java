package dev.cryo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness's smoke configuration ({@code scripts/bench --quick}) runs to the end
 * against the real CRIU and writes its tables; the figures themselves are not checked.
 */
class PerformanceReportSmokeIT {
  @TempDir
  Path tmp;

  @Test
  void theQuickConfigurationCompletesAndWritesEveryTable() throws Exception {
    Path report = tmp.resolve("BENCHMARKS.md");
    Files.writeString(report, "# Benchmarks\n\nOther sections stay.\n");

    PerformanceReport.main(new String[] {"--quick", "--output", report.toString()});

    String md = Files.readString(report);
    assertThat(md).as("the rest of the file is kept").contains("Other sections stay.");
    assertThat(md).as("the section, delimited for the next run").contains(PerformanceSection.BEGIN)
        .contains(PerformanceSection.END)
        .contains("### The machine's limits").contains("### Time to the first HTTP response")
        .contains("### Image size").contains("### Pause and checkpoint time by live heap")
        .contains("### Restore time by image size").contains("### Targets")
        .contains("| `cryo restore` |").contains("| `cryo restore --lazy-pages` |")
        .contains("| HeapServer, 48 MiB live |").contains("Smoke configuration");
  }
}
