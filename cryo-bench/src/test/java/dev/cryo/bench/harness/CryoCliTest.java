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
    CryoCli.Restored r = CryoCli.restored("cryo: a notice\nrestored spring as PID 123: verify 0.071 s, restore 0.148 s\n");
    assertThat(r.pid()).isEqualTo(123);
    assertThat(r.verifySeconds()).isEqualTo(0.071);
    assertThat(r.restoreSeconds()).isEqualTo(0.148);
  }
}
