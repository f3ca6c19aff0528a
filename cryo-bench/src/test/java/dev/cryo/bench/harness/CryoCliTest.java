package dev.cryo.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

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
}
