package dev.cryo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CryoCliTest {
  @Test
  void cryosSummaryLinesAreRead() {
    String checkpoint = "checkpointed PID 123 as spring: 36.3 MiB of images; dump 0.233 s, total 0.475 s; "
        + "the process was ended";
    assertThat(CryoCli.imageSize(checkpoint)).isEqualTo("36.3 MiB");
    assertThat(CryoCli.checkpointed(checkpoint)).isEqualTo(new CryoCli.Checkpointed(0.233, 0.475));
    assertThat(CryoCli.compression("checkpointed PID 1 as x: 24.8 MiB of images (memory compressed from 108.6 MiB "
        + "to 24.7 MiB); dump 0.2 s, total 0.5 s")).isEqualTo(new CryoCli.Compression(113875354, 25899827));
    CryoCli.Restored r = CryoCli.restored("cryo: a notice\nrestored spring as PID 123: verify 0.071 s, restore 0.148 s\n");
    assertThat(r.pid()).isEqualTo(123);
    assertThat(r.verifySeconds()).isEqualTo(0.071);
    assertThat(r.restoreSeconds()).isEqualTo(0.148);
  }

  @Test
  void aRunsEventsAreReadWithTheirTimesAndACheckpointsPause() throws Exception {
    CryoCli.RunEvent e = CryoCli.parseEvent("{\"time\":\"2026-12-02T06:46:10.465969306Z\",\"type\":\"checkpointed\","
        + "\"message\":\"checkpoint 20261202-064604-1852e8: 125.5 MiB of images; program paused 0.801 s, 6.030 s in "
        + "all; coordinated with PID 23825\",\"checkpoint\":\"20261202-064604-1852e8\"}");

    assertThat(e.instant()).isEqualTo(Instant.parse("2026-12-02T06:46:10.465969306Z"));
    assertThat(e.endsCheckpoint()).isTrue();
    assertThat(e.checkpointed()).contains(new CryoCli.Checkpointed(0.801, 6.030));

    CryoCli.RunEvent failed = CryoCli.parseEvent("{\"time\":\"2026-12-02T06:46:11Z\",\"type\":\"checkpoint-failed\","
        + "\"message\":\"CRIU failed: \\\"dump\\\" ended; the program keeps running\"}");
    assertThat(failed.endsCheckpoint()).isTrue();
    assertThat(failed.checkpointed()).isEmpty();
    assertThat(failed.message()).isEqualTo("CRIU failed: \"dump\" ended; the program keeps running");
  }
}
