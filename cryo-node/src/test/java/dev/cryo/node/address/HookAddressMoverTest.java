package dev.cryo.node.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookAddressMoverTest {
  @TempDir Path dir;
  private FakeTools tools;
  private HookAddressMover mover;
  private final InetAddress ip = FakeTools.literal("10.0.5.7");

  @BeforeEach
  void fakeTools() throws Exception {
    tools = new FakeTools(dir);
    mover = new HookAddressMover(tools.bin.resolve("hook"), tools.host(), tools.netnsDir);
  }

  @Test
  void claimMakesTheNamespaceThenCallsTheHook() throws Exception {
    assertThat(mover.claim("web", ip)).isEqualTo(tools.netnsDir.resolve("cryo-web"));
    assertThat(tools.commands())
        .containsExactly(
            "ip netns add cryo-web",
            "ip -n cryo-web link set lo up",
            "hook claim web 10.0.5.7 cryo-web");
  }

  @Test
  void announceAndReleaseCallTheHookAndReleaseDeletesTheNamespace() throws Exception {
    mover.claim("web", ip);
    Files.writeString(tools.log, "");
    mover.announce("web", ip);
    mover.release("web", ip);
    assertThat(tools.commands())
        .containsExactly(
            "hook announce web 10.0.5.7 cryo-web",
            "hook release web 10.0.5.7 cryo-web",
            "ip netns del cryo-web");
  }

  @Test
  void exitCode3MeansTheAddressIsInUse() throws Exception {
    tools.hookExits(HookAddressMover.EXIT_IN_USE);
    assertThatThrownBy(() -> mover.claim("web", ip))
        .isInstanceOf(AddressInUseException.class)
        .hasMessageStartingWith("10.0.5.7 is in use, says the address hook");
    assertThat(tools.netnsDir.resolve("cryo-web"))
        .as("namespace after a refused claim")
        .doesNotExist();
  }

  @Test
  void aFailingHookIsNamedWithWhatItSaid() throws Exception {
    tools.hookExits(1);
    assertThatThrownBy(() -> mover.claim("web", ip))
        .isInstanceOf(AddressException.class)
        .hasMessage(
            "the address hook "
                + tools.bin.resolve("hook")
                + " claim 10.0.5.7 for web failed: quota exceeded");
  }
}
