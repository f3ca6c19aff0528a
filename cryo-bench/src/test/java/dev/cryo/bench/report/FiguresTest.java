package dev.cryo.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void aSpreadHasTheDecimalsItsMedianNeeds() {
    assertThat(Figures.spread(List.of(2150.0, 1891.0, 2193.0))).isEqualTo("2,150 ms (1,891–2,193)");
    assertThat(Figures.spread(List.of(1.32, 1.25, 1.5))).isEqualTo("1.3 ms (1.3–1.5)");
    assertThat(Figures.spread(List.of(0.42, 0.38, 0.51))).isEqualTo("0.42 ms (0.38–0.51)");
    assertThat(Figures.spread(List.of(6.0, 5.0, 7.0), "")).isEqualTo("6 (5–7)");
    assertThat(Figures.spread(List.of(1770.4), "requests/s")).isEqualTo("1,770 requests/s");
  }
}
