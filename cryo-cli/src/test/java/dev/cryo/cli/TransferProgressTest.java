package dev.cryo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.repository.TransferSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
  private static final long MIB = 1 << 20;

  @Test
  void theBarShowsBytesRateAndTimeLeft() {
    String bar = TransferProgress.bar(50 * MIB, 100 * MIB, 10 * MIB, Duration.ofSeconds(5));

    assertThat(bar)
        .as("a bar half way through 100 MiB after 5 s")
        .contains("50%")
        .contains("50.0 MiB of 100.0 MiB")
        .contains("10.0 MiB/s")
        .contains("left");
  }

  @Test
  void offATerminalOnlyTheSummaryLineIsPrinted() {
    StringWriter err = new StringWriter();
    TransferProgress progress = new TransferProgress(new PrintWriter(err), false);
    progress.progressed(1, 2, 1);
    progress.finish(
        TransferProgress.pushed(
            "web",
            "s3://b/p",
            new TransferSummary(100 * MIB, 10 * MIB, 400, 40, Duration.ofSeconds(2))));

    assertThat(err.toString().lines())
        .as("what a push prints off a terminal")
        .singleElement()
        .asString()
        .startsWith("pushed web to s3://b/p: read 100.0 MiB, uploaded 10.0 MiB")
        .contains("40 chunks of 400 were new; 10.0x less");
  }

  @Test
  void aPushOfACheckpointTheRepositoryHasSaysSo() {
    assertThat(
            TransferProgress.pushed(
                "web", "s3://b/p", new TransferSummary(MIB, 0, 0, 0, Duration.ZERO)))
        .isEqualTo("web is in s3://b/p already; nothing sent");
  }
}
