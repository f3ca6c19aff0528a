package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cryo.linux.HostFacts;
import dev.cryo.node.address.AddressInUseException;
import dev.cryo.node.address.AddressMover;
import dev.cryo.node.address.HostCommands;
import dev.cryo.node.address.ServiceAddresses;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service address moving between two hosts on one LAN, as {@link ServiceAddresses} moves it:
 * network namespaces play the LAN (a bridge), two hosts and a client, on 198.18.0.0/23, a range the
 * root namespace routes nowhere, so that no packet leaves this machine. The address's namespaces
 * are made from inside each host's network namespace, as a node on that host would.
 */
class ServiceAddressIT {
  private static final String LAN = "cryo-it-lan";
  private static final String HOST_1 = "cryo-it-h1";
  private static final String HOST_2 = "cryo-it-h2";
  private static final String CLIENT = "cryo-it-cl";

  /** The program's name: its namespace is cryo-it-web. */
  private static final String PROGRAM = "it-web";

  private static final String OTHER_PROGRAM = "it-other";
  private static final String ADDRESS = "198.18.1.7";
  private static final Pattern MAC = Pattern.compile("link/ether (\\S+)");

  @TempDir static Path tmp;
  private static InetAddress ip;
  private final List<Process> servers = new ArrayList<>();

  @BeforeAll
  static void lanWithTwoHostsAndAClient() throws Exception {
    assumeTrue(HostFacts.isRoot(), "network namespaces need root");
    ip = InetAddress.getByName(ADDRESS);
    // Before anything else: test addresses never leave this machine through its default route.
    if (!sh("ip", "route", "show", "198.18.0.0/15").contains("unreachable")) {
      sh("ip", "route", "add", "unreachable", "198.18.0.0/15");
    }
    removeNamespaces();
    sh("ip", "netns", "add", LAN);
    sh("ip", "-n", LAN, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", LAN, "link", "set", "br0", "up");
    attach(HOST_1, "h1", "198.18.0.11/23");
    attach(HOST_2, "h2", "198.18.0.12/23");
    attach(CLIENT, "cl", "198.18.0.100/23");
  }

  /**
   * A namespace with an eth0 at {@code address}, cabled to the LAN's bridge as port {@code port}.
   */
  private static void attach(String ns, String port, String address) throws Exception {
    sh("ip", "netns", "add", ns);
    sh(
        "ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns",
        LAN);
    sh("ip", "-n", LAN, "link", "set", port, "master", "br0", "up");
    sh("ip", "-n", ns, "addr", "add", address, "dev", "eth0");
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
    sh("ip", "-n", ns, "link", "set", "lo", "up");
  }

  @AfterEach
  void stopServers() throws Exception {
    for (Process server : servers) {
      server.destroyForcibly().waitFor();
    }
  }

  @AfterAll
  static void removeNamespaces() throws Exception {
    for (String ns :
        List.of(
            AddressMover.namespaceOf(PROGRAM),
            AddressMover.namespaceOf(OTHER_PROGRAM),
            CLIENT,
            HOST_2,
            HOST_1,
            LAN)) {
      if (Files.exists(Path.of("/run/netns", ns))) {
        sh("ip", "netns", "del", ns);
      }
    }
  }

  private static ServiceAddresses on(String host) {
    return new ServiceAddresses(
        "eth0", HostCommands.inNetworkNamespace(Path.of("/run/netns", host)));
  }

  @Test
  void theAddressMovesToAnotherHostAndClientsFollowAtOnce() throws Exception {
    ServiceAddresses host1 = on(HOST_1);
    ServiceAddresses host2 = on(HOST_2);

    Path ns = host1.claim(PROGRAM, ip);
    assertThat(ns).isEqualTo(Path.of("/run/netns/cryo-it-web"));
    serve(ns, "host 1");
    assertThat(curlFromClient()).as("the client asking the address on host 1").isEqualTo("host 1");
    assertThat(host1.held()).as("namespaces held on host 1").contains("cryo-it-web");

    stopServers();
    servers.clear();
    host1.release(PROGRAM, ip);
    assertThat(ns).as("the namespace after its release").doesNotExist();

    ns = host2.claim(PROGRAM, ip);
    serve(ns, "host 2");
    assertThat(clientsMacFor(ADDRESS))
        .as("the client's ARP entry for the address after the claim on host 2, before it asks")
        .isEqualTo(macOf(ns));
    assertThat(curlFromClient())
        .as("the client's first request after the move")
        .isEqualTo("host 2");

    assertThatThrownBy(() -> host1.claim(OTHER_PROGRAM, ip))
        .as("claiming on host 1 the address host 2 holds")
        .isInstanceOf(AddressInUseException.class)
        .hasMessageStartingWith(ADDRESS + " is in use");
    assertThat(Path.of("/run/netns", AddressMover.namespaceOf(OTHER_PROGRAM)))
        .as("the refused claim's namespace")
        .doesNotExist();

    host2.release(PROGRAM, ip);
  }

  /** An HTTP server on the address, in the program's namespace, answering {@code text}. */
  private void serve(Path ns, String text) throws Exception {
    Path root = Files.createDirectories(tmp.resolve(ns.getFileName() + "-" + servers.size()));
    Files.writeString(root.resolve("who"), text);
    servers.add(
        new ProcessBuilder(
                "nsenter",
                "--net=" + ns,
                "/usr/bin/python3",
                "-m",
                "http.server",
                "--bind",
                ADDRESS,
                "--directory",
                root.toString(),
                "8080")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("server-" + servers.size() + ".log").toFile())
            .redirectInput(new File("/dev/null"))
            .start());
    // Ready when it answers inside its own namespace, which leaves the client's ARP cache alone.
    for (int i = 0; i < 200; i++) {
      if (run("nsenter", "--net=" + ns, "curl", "-s", "--max-time", "1", url()).exitCode == 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the HTTP server in " + ns + " never answered");
  }

  private static String url() {
    return "http://" + ADDRESS + ":8080/who";
  }

  private static String curlFromClient() throws Exception {
    return sh("ip", "netns", "exec", CLIENT, "curl", "-s", "--max-time", "5", url());
  }

  private static String clientsMacFor(String address) throws Exception {
    String neigh = sh("ip", "-n", CLIENT, "neigh", "show", address);
    Matcher lladdr = Pattern.compile("lladdr (\\S+)").matcher(neigh);
    return lladdr.find() ? lladdr.group(1) : "(none: " + neigh.strip() + ")";
  }

  private static String macOf(Path ns) throws Exception {
    Matcher mac = MAC.matcher(sh("ip", "-n", ns.getFileName().toString(), "link", "show", "eth0"));
    assertThat(mac.find()).as("a MAC address on the macvlan").isTrue();
    return mac.group(1);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), output);
  }

  private static String sh(String... command) throws IOException, InterruptedException {
    Result r = run(command);
    assertThat(r.exitCode).as(String.join(" ", command) + ": " + r.output.strip()).isZero();
    return r.output;
  }
}
