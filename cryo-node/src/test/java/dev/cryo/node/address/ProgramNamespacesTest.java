package dev.cryo.node.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgramNamespacesTest {
  @Test
  void aProgramsNamespaceIsCryoDashItsName() {
    assertThat(AddressMover.namespaceOf("web-1.v2_a")).isEqualTo("cryo-web-1.v2_a");
  }

  @Test
  void aLongNameIsCutAndHashedSoThatTwoLongNamesStayApart() {
    String one = AddressMover.namespaceOf("a".repeat(100) + "1");
    String two = AddressMover.namespaceOf("a".repeat(100) + "2");
    assertThat(one)
        .as("namespace name of a 101-character program")
        .hasSize(ProgramNamespaces.MAX_NAME)
        .startsWith("cryo-aaaa");
    assertThat(one).as("two long names differing at the end").isNotEqualTo(two);
    assertThat(AddressMover.namespaceOf("a".repeat(58)))
        .as("the longest uncut")
        .isEqualTo("cryo-" + "a".repeat(58));
  }

  @Test
  void refusesWhatIsNotAProgramName() {
    for (String bad : new String[] {"", "Web", "-web", ".web", "a/b", "web prog", ".."}) {
      assertThatThrownBy(() -> AddressMover.namespaceOf(bad))
          .as("program name '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a program name");
    }
  }
}
