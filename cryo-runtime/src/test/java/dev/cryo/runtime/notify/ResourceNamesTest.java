package dev.cryo.runtime.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {

  @Test
  void anObjectWithoutItsOwnDescriptionIsNamedByItsClass() {
    assertThat(ResourceNames.describe(new Object())).isEqualTo("java.lang.Object");
  }

  @Test
  void aResourceRegisteredThroughOrgCracIsNamedByTheResourceItWraps() {
    Object wrapper = new Object() {
      @Override
      public String toString() {
        return "org.crac.ResourceWrapper[com.example.ConnectionPool@1b6d3586]";
      }
    };
    assertThat(ResourceNames.describe(wrapper)).isEqualTo("com.example.ConnectionPool");
  }

  @Test
  void durationsAreReadAsPeopleWriteThem() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("500ms");
  }
}
