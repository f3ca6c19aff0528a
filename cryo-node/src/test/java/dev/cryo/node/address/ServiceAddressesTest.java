package dev.cryo.node.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAddressesTest {
  @TempDir Path dir;
  private FakeTools tools;
  private ServiceAddresses addresses;
  private final InetAddress ip = FakeTools.literal("198.18.1.7");

  @BeforeEach
  void fakeTools() throws Exception {
    tools = new FakeTools(dir);
    addresses = new ServiceAddresses("eth0", tools.host(), tools.netnsDir);
  }

  @Test
  void claimChecksTheAddressIsFreeThenBuildsANamespaceWithAMacvlanAndAnnouncesIt()
      throws Exception {
    Path ns = addresses.claim("web", ip);

    assertThat(ns).as("the namespace's file").isEqualTo(tools.netnsDir.resolve("cryo-web"));
    assertThat(tools.commands())
        .as("the commands of a claim, in order")
        .containsExactly(
            "ip -o -4 addr show dev eth0",
            "ip -4 route show default dev eth0",
            "arping -D -c 1 -w 1 -I eth0 198.18.1.7",
            "ip netns add cryo-web",
            "ip -n cryo-web link set lo up",
            "ip link add link eth0 name eth0 netns cryo-web type macvlan mode bridge",
            "ip -n cryo-web addr add 198.18.1.7/23 dev eth0",
            "ip -n cryo-web link set eth0 up",
            "ip netns exec cryo-web arping -U -c 1 -I eth0 -s 198.18.1.7 198.18.1.7",
            "arping -U -c 1 -I eth0 -s 198.18.1.7 198.18.1.7");
  }

  @Test
  void theProgramsNamespaceGetsTheHostsDefaultGateway() throws Exception {
    tools.defaultRoute("default via 198.18.0.254 proto static");
    addresses.claim("web", ip);
    assertThat(tools.commands())
        .contains("ip -n cryo-web route add default via 198.18.0.254 dev eth0");
  }

  @Test
  void anAddressSomeoneAnswersForIsNotClaimed() throws Exception {
    tools.arpingExits(1);
    assertThatThrownBy(() -> addresses.claim("web", ip))
        .as("claiming an address another machine answers for")
        .isInstanceOf(AddressInUseException.class)
        .hasMessage(
            "198.18.1.7 is in use: another machine on eth0's network answers for it;"
                + " release it there or choose another address");
    assertThat(tools.netnsDir.resolve("cryo-web")).as("no namespace made").doesNotExist();
  }

  @Test
  void aFailedStepSaysWhatFailedWithIpsWordsAndLeavesNoNamespace() throws Exception {
    tools.failIp("type_macvlan", "Error: Unknown device type.");
    assertThatThrownBy(() -> addresses.claim("web", ip))
        .isInstanceOf(AddressException.class)
        .hasMessage("creating a macvlan on eth0 in cryo-web failed: Error: Unknown device type.");
    assertThat(tools.netnsDir.resolve("cryo-web"))
        .as("namespace after a failed claim")
        .doesNotExist();
  }

  @Test
  void aProgramHoldingANamespaceAlreadyCannotClaimAgain() throws Exception {
    addresses.claim("web", ip);
    assertThatThrownBy(() -> addresses.claim("web", ip))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("cryo-web exists already");
    assertThat(tools.netnsDir.resolve("cryo-web")).as("the first claim's namespace").exists();
  }

  @Test
  void anInterfaceWithoutAnAddressIsNamed() throws Exception {
    ServiceAddresses other = new ServiceAddresses("eth1", tools.host(), tools.netnsDir);
    assertThatThrownBy(() -> other.claim("web", ip))
        .isInstanceOf(AddressException.class)
        .hasMessageStartingWith("eth1 has no IPv4 address on this host");
  }

  @Test
  void releaseSetsTheMacvlanDownAndDeletesTheNamespace() throws Exception {
    addresses.claim("web", ip);
    Files.writeString(tools.log, "");
    addresses.release("web", ip);
    assertThat(tools.commands())
        .containsExactly("ip -n cryo-web link set eth0 down", "ip netns del cryo-web");
    assertThat(tools.netnsDir.resolve("cryo-web")).doesNotExist();
    addresses.release("web", ip);
    assertThat(tools.commands()).as("releasing what is not held does nothing").hasSize(2);
  }

  @Test
  void heldListsTheCryoNamespaces() throws Exception {
    addresses.claim("web", ip);
    addresses.claim("db", FakeTools.literal("198.18.1.8"));
    Files.createFile(tools.netnsDir.resolve("other"));
    assertThat(addresses.held()).containsExactly("cryo-db", "cryo-web");
    addresses.discard("cryo-db");
    assertThat(addresses.held()).containsExactly("cryo-web");
  }

  @Test
  void ipv6IsRefused() {
    assertThatThrownBy(() -> addresses.claim("web", FakeTools.literal("fd00::7")))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("not an IPv4 address");
  }
}
