package dev.cryo.bench.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreBenchmarkReportTest {
  @Test
  void cryosSummaryLinesAreRead() {
    assertThat(CryoCli.imageSize("checkpointed PID 123 as spring: 36.3 MiB of images; dump 0.233 s, total 0.475 s; "
        + "the process was ended")).isEqualTo("36.3 MiB");
    CryoCli.Restored r = CryoCli.restored("cryo: a notice\nrestored spring as PID 123: verify 0.071 s, restore 0.148 s\n");
    assertThat(r.pid()).isEqualTo(123);
    assertThat(r.verifySeconds()).isEqualTo(0.071);
    assertThat(r.restoreSeconds()).isEqualTo(0.148);
  }

  @Test
  void theSectionHasItsMarkersOneRowPerApplicationAndAReading() {
    var spring = new RestoreBenchmarkReport.Measured(Application.SPRING, "Spring Boot", List.of(2200.0, 2000.0, 2400.0),
        List.of(700.0, 720.0, 690.0), List.of(200.0, 210.0, 190.0), List.of(150.0, 140.0, 145.0),
        List.of(600.0, 610.0, 590.0), "132.4 MiB", 160L << 20);
    var plain = new RestoreBenchmarkReport.Measured(Application.PLAIN, "JDK HTTP server", List.of(160.0, 170.0, 165.0),
        List.of(680.0, 690.0, 670.0), List.of(230.0, 220.0, 240.0), List.of(75.0, 80.0, 70.0),
        List.of(560.0, 570.0, 550.0), "36.1 MiB", 60L << 20);

    String md = RestoreBenchmarkReport.render("", false, 3, "CRIU 4.2", 280, List.of(spring, plain));

    assertThat(md).startsWith(RestoreBenchmarkReport.BEGIN).endsWith(RestoreBenchmarkReport.END + "\n")
        .contains("`scripts/bench-restore`").contains("| Spring Boot | 2,200 ms (2,000–2,400) | 700 ms (690–720) |")
        .contains("| **3.1×** | 132.4 MiB | 160.0 MiB |").contains("| **0.24×** |").contains("### Reading")
        .contains("4.1× later").contains("100 ms after").contains("120 ms after");
  }
}
