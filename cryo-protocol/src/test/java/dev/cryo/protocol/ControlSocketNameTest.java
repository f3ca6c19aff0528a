package dev.cryo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlSocketNameTest {

  @Test
  void aControlSocketIsNamedByThePidOfItsProcess() {
    assertThat(ControlSocketName.of(42)).isEqualTo("42.cryo.sock");
    assertThat(ControlSocketName.isOf("/run/cryo/42.cryo.sock", 42)).isTrue();
    assertThat(ControlSocketName.isOf("/tmp/my dir/42.cryo.sock", 42))
        .as("a directory with a space")
        .isTrue();
  }

  @Test
  void anotherProcesssSocketOrAnAbstractOneIsNot() {
    assertThat(ControlSocketName.isOf("/run/cryo/43.cryo.sock", 42))
        .as("the parent's, inherited by a child")
        .isFalse();
    assertThat(ControlSocketName.isOf("/run/cryo/142.cryo.sock", 42)).isFalse();
    assertThat(ControlSocketName.isOf("@42.cryo.sock", 42)).as("an abstract socket").isFalse();
    assertThat(ControlSocketName.isOf("42.cryo.sock", 42)).as("a relative path").isFalse();
  }
}
