package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryInfoTest {
  @Test
  void readsTotalAndAvailableMemoryInBytes() {
    MemoryInfo info =
        MemoryInfo.parse(
            List.of(
                "MemTotal:       24683584 kB",
                "MemFree:        24018196 kB",
                "MemAvailable:   24276244 kB"));
    assertThat(info.totalBytes()).as("MemTotal in bytes").isEqualTo(24683584L * 1024);
    assertThat(info.availableBytes()).as("MemAvailable in bytes").isEqualTo(24276244L * 1024);
  }

  @Test
  void takesFreeMemoryAsAvailableOnKernelsWithoutMemAvailable() {
    MemoryInfo info = MemoryInfo.parse(List.of("MemTotal: 2048 kB", "MemFree: 1024 kB"));
    assertThat(info.availableBytes()).as("MemFree stands in").isEqualTo(1024L * 1024);
  }

  @Test
  void thisMachineHasSomeMemory() {
    MemoryInfo info = MemoryInfo.read();
    assertThat(info.totalBytes()).as("MemTotal of this machine").isPositive();
    assertThat(info.availableBytes())
        .as("available at most total")
        .isLessThanOrEqualTo(info.totalBytes());
  }
}
