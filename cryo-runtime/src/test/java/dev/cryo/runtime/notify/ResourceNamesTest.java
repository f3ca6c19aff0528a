package dev.cryo.runtime.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceNamesTest {

  @Test
  void anObjectWithoutItsOwnDescriptionIsNamedByItsClass() {
    assertThat(ResourceNames.describe(new Object())).isEqualTo("java.lang.Object");
  }

  @Test
  void aResourceRegisteredThroughOrgCracIsNamedByTheResourceItWraps() {
    Object wrapper =
        new Object() {
          @Override
          public String toString() {
            return "org.crac.ResourceWrapper[com.example.ConnectionPool@1b6d3586]";
          }
        };
    assertThat(ResourceNames.describe(wrapper)).isEqualTo("com.example.ConnectionPool");
  }
}
