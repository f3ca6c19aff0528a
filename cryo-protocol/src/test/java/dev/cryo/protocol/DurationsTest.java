package dev.cryo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void durationsAreReadAsPeopleWriteThem() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse(" 2M ")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("500ms");
    assertThatThrownBy(() -> Durations.parse("xs")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsAreWrittenInWholeSecondsWhereTheyAreSome() {
    assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10 s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500 ms");
  }
}
