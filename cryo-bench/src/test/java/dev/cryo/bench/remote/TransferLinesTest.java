package dev.cryo.bench.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransferLinesTest {
  @Test
  void readsThePushLineWithItsSizesChunksAndTime() {
    TransferLines.Transfer push =
        TransferLines.pushed(
            "pushed h256 to s3://bench-1/cryo: read 313.7 MiB, uploaded 136.7 MiB (4099 chunks of"
                + " 4128 were new; 2.3x less), in 16.238 s\n");

    assertThat(push.checkpointBytes()).as("read").isEqualTo(Math.round(313.7 * 1024 * 1024));
    assertThat(push.transferredBytes()).as("uploaded").isEqualTo(Math.round(136.7 * 1024 * 1024));
    assertThat(push.newChunks()).as("new chunks").isEqualTo(4099);
    assertThat(push.chunks()).as("all chunks").isEqualTo(4128);
    assertThat(push.seconds()).as("the push's own time").isEqualTo(16.238);
    assertThat(push.transferredShare()).as("uploaded over read").isBetween(0.43, 0.44);
  }

  @Test
  void readsThePullLineAfterOtherOutput() {
    TransferLines.Transfer pull =
        TransferLines.pulled(
            "something else\npulled web from s3://b/p: 105.8 MiB in 1382 chunks, downloaded 24.1"
                + " MiB, in 4.638 s\nrestored web as PID 42: verify 0.050 s, restore 0.200 s\n");

    assertThat(pull.checkpointBytes()).isEqualTo(Math.round(105.8 * 1024 * 1024));
    assertThat(pull.transferredBytes()).isEqualTo(Math.round(24.1 * 1024 * 1024));
    assertThat(pull.chunks()).as("a pull fetches every chunk").isEqualTo(1382);
    assertThat(pull.newChunks()).isEqualTo(1382);
    assertThat(pull.seconds()).isEqualTo(4.638);
  }

  @Test
  void aPushThatSentNothingHasNoFiguresToRead() {
    assertThatThrownBy(() -> TransferLines.pushed("web is in s3://b/p already; nothing sent\n"))
        .as("the line of a checkpoint already in the repository")
        .hasMessageContaining("no summary line");
  }
}
