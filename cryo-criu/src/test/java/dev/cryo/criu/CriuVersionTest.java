package dev.cryo.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CriuVersionTest {
  @Test
  void parsesTheOutputOfCriuVersion() {
    assertThat(CriuVersion.parse("Version: 4.2.1\nGitID: v4.2.1\n"))
        .isEqualTo(new CriuVersion(4, 2, 1));
    assertThat(CriuVersion.parse("Version: 3.17")).isEqualTo(new CriuVersion(3, 17, 0));
  }

  @Test
  void comparesNumericallyNotAsText() {
    assertThat(new CriuVersion(4, 10, 0).isAtLeast(new CriuVersion(4, 2, 0))).isTrue();
    assertThat(new CriuVersion(4, 1, 9).isAtLeast(CriuVersion.MINIMUM)).isFalse();
    assertThat(new CriuVersion(4, 2, 0).isAtLeast(CriuVersion.MINIMUM)).isTrue();
    assertThat(new CriuVersion(3, 19, 0).isAtLeast(CriuVersion.MINIMUM)).isFalse();
  }

  @Test
  void textWithoutAVersionIsRejectedWithTheText() {
    assertThatThrownBy(() -> CriuVersion.parse("command not found"))
        .hasMessageContaining("command not found");
  }
}
