package dev.cryo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness's smoke configuration ({@code scripts/bench --quick}) runs every section to
 * the end against the real CRIU and writes its tables; the figures themselves are not checked. The
 * cluster failover section is left out: it needs the machine's one test bed, for several minutes
 * even in its quick configuration, and {@code ClusterSectionTest} checks its tables.
 */
class PerformanceReportSmokeIT {
  @TempDir Path tmp;

  @Test
  void theQuickConfigurationCompletesAndWritesEveryTableOfEverySection() throws Exception {
    Path report = tmp.resolve("BENCHMARKS.md");
    Files.writeString(report, "# Benchmarks\n\nOther sections stay.\n");

    PerformanceReport.main(
        new String[] {
          "--quick", "--skip", PerformanceReport.CLUSTER, "--output", report.toString()
        });

    String md = Files.readString(report);
    assertThat(md).as("the rest of the file is kept").contains("Other sections stay.");
    assertThat(md)
        .as("the section, delimited for the next run")
        .contains(PerformanceSection.BEGIN)
        .contains(PerformanceSection.END)
        .contains("### The machine's limits")
        .contains("### Time to the first HTTP response")
        .contains("### Image size")
        .contains("### Pause and checkpoint time by live heap")
        .contains("### Restore time by image size")
        .contains("### Targets")
        .contains("| `cryo restore` |")
        .contains("| `cryo restore --lazy-pages` |")
        .contains("| HeapServer, 48 MiB live |")
        .contains("Smoke configuration");
    assertThat(md).as("the checkpoints under load section").contains(LoadSection.BEGIN);
    String load = md.substring(md.indexOf(LoadSection.BEGIN));
    assertThat(load)
        .as("the checkpoints under load section, delimited for the next run")
        .contains(LoadSection.END)
        .contains("## Checkpoints under load")
        .contains("**JDK HTTP server")
        .contains("**Spring Boot")
        .contains("| throughput |")
        .contains("| p99 |")
        .contains("| longest wait (max) |")
        .contains("| their longest pause |")
        .contains("| failed checkpoints, all trials |")
        .contains("### Targets")
        .contains("### Reading")
        .contains("Smoke configuration");
    assertThat(md).as("the remote repository section").contains(RemoteSection.BEGIN);
    String remote = md.substring(md.indexOf(RemoteSection.BEGIN));
    assertThat(remote)
        .as("the remote repository section, delimited for the next run")
        .contains(RemoteSection.END)
        .contains("## Remote repository")
        .contains("### Push and pull throughput")
        .contains("### Bytes uploaded by successive checkpoints")
        .contains("### Restore from the repository")
        .contains("### Processor time of a push")
        .contains("### Targets")
        .contains("### Reading")
        .contains("Smoke configuration");
    assertThat(md)
        .as("the cluster failover section is left out of the smoke run")
        .doesNotContain(ClusterSection.BEGIN);
  }
}
