package dev.cryo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;

class ControlPeersTest {
  private static UserPrincipal user(String name) {
    return new UserPrincipal() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean equals(Object other) {
        return other instanceof UserPrincipal u && u.getName().equals(name);
      }

      @Override
      public int hashCode() {
        return name.hashCode();
      }
    };
  }

  @Test
  void theOwnerAndRootMayBeOnTheOtherEndAndNobodyElse() {
    assertThat(ControlPeers.allowed(user("alice"), user("alice"))).isTrue();
    assertThat(ControlPeers.allowed(user("root"), user("alice"))).isTrue();
    assertThat(ControlPeers.allowed(user("0"), user("alice")))
        .as("root without a passwd entry")
        .isTrue();
    assertThat(ControlPeers.allowed(user("bob"), user("alice"))).isFalse();
    assertThat(ControlPeers.allowed(user("1000"), user("alice"))).isFalse();
  }
}
