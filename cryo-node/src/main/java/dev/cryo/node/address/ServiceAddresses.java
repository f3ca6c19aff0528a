package dev.cryo.node.address;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service addresses on a flat LAN, the default {@link AddressMover}: the program's namespace gets a
 * macvlan (mode bridge) on the host's interface, named eth0 there, holding the address with the
 * host interface's prefix length so that the LAN's addresses are on-link; a gratuitous ARP makes
 * every neighbour send to the new owner at once. The host itself cannot reach its own programs'
 * addresses through a macvlan (other hosts and clients can).
 */
public final class ServiceAddresses implements AddressMover {
  /** The macvlan's name inside the program's namespace. */
  static final String DEVICE = "eth0";

  private static final Pattern INET = Pattern.compile("\\binet (\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");
  private static final Pattern GATEWAY = Pattern.compile("^default via (\\S+)");

  private final String hostInterface;
  private final HostCommands host;
  private final ProgramNamespaces namespaces;

  /** Addresses on {@code hostInterface} (such as eth0) of the host this process runs on. */
  public ServiceAddresses(String hostInterface) {
    this(hostInterface, HostCommands.here());
  }

  /** Addresses on {@code hostInterface} of the host whose network {@code host} runs commands in. */
  public ServiceAddresses(String hostInterface, HostCommands host) {
    this(hostInterface, host, ProgramNamespaces.NETNS_DIR);
  }

  ServiceAddresses(String hostInterface, HostCommands host, Path netnsDir) {
    this.hostInterface = hostInterface;
    this.host = host;
    this.namespaces = new ProgramNamespaces(host, netnsDir);
  }

  @Override
  public Path claim(String program, InetAddress ip) throws AddressException {
    String ns = ProgramNamespaces.name(program);
    String address = ipv4(ip);
    HostAddress hostAddress = hostAddress();
    ensureFree(address);
    namespaces.add(ns);
    try {
      host.check(
          "creating a macvlan on " + hostInterface + " in " + ns,
          List.of(
              "ip",
              "link",
              "add",
              "link",
              hostInterface,
              "name",
              DEVICE,
              "netns",
              ns,
              "type",
              "macvlan",
              "mode",
              "bridge"));
      host.check(
          "adding the address " + address + " to " + ns,
          List.of(
              "ip",
              "-n",
              ns,
              "addr",
              "add",
              address + "/" + hostAddress.prefixLength(),
              "dev",
              DEVICE));
      host.check(
          "setting " + DEVICE + " up in " + ns,
          List.of("ip", "-n", ns, "link", "set", DEVICE, "up"));
      if (hostAddress.gateway().isPresent()) {
        host.check(
            "adding the default route to " + ns,
            List.of(
                "ip",
                "-n",
                ns,
                "route",
                "add",
                "default",
                "via",
                hostAddress.gateway().get(),
                "dev",
                DEVICE));
      }
      announce(program, ip);
    } catch (AddressException e) {
      namespaces.deleteQuietly(ns);
      throw e;
    }
    return namespaces.path(ns);
  }

  @Override
  public void announce(String program, InetAddress ip) throws AddressException {
    String ns = ProgramNamespaces.name(program);
    String address = ipv4(ip);
    host.check(
        "announcing " + address + " (gratuitous ARP from " + ns + ")",
        List.of(
            "ip", "netns", "exec", ns, "arping", "-U", "-c", "1", "-I", DEVICE, "-s", address,
            address));
  }

  /**
   * Sets the macvlan down first, so that the address stops answering even while a process still
   * holds the namespace open, then deletes the namespace, which destroys the macvlan.
   */
  @Override
  public void release(String program, InetAddress ip) throws AddressException {
    discard(ProgramNamespaces.name(program));
  }

  @Override
  public List<String> held() throws AddressException {
    return namespaces.held();
  }

  @Override
  public void discard(String namespace) throws AddressException {
    if (namespaces.exists(namespace)) {
      host.run(List.of("ip", "-n", namespace, "link", "set", DEVICE, "down"));
      namespaces.delete(namespace);
    }
  }

  /** Duplicate address detection: asks the LAN, from the host, whether anyone has {@code ip}. */
  private void ensureFree(String address) throws AddressException {
    HostCommands.Result dad =
        host.run(List.of("arping", "-D", "-c", "1", "-w", "1", "-I", hostInterface, address));
    if (dad.exitCode() == 1) {
      throw new AddressInUseException(
          address
              + " is in use: another machine on "
              + hostInterface
              + "'s network answers for it; release it there or choose another address");
    }
    if (dad.exitCode() != 0) {
      throw new AddressException(
          "checking whether " + address + " is free (arping -D) failed: " + dad.complaint());
    }
  }

  private record HostAddress(int prefixLength, Optional<String> gateway) {}

  /** The host interface's prefix length and default gateway: service addresses share its LAN. */
  private HostAddress hostAddress() throws AddressException {
    String addresses =
        host.check(
                "reading the addresses of " + hostInterface,
                List.of("ip", "-o", "-4", "addr", "show", "dev", hostInterface))
            .stdout();
    Matcher inet = INET.matcher(addresses);
    if (!inet.find()) {
      throw new AddressException(
          hostInterface
              + " has no IPv4 address on this host; service addresses take their prefix length"
              + " from it: give it one or choose another --interface");
    }
    String routes =
        host.check(
                "reading the default route of " + hostInterface,
                List.of("ip", "-4", "route", "show", "default", "dev", hostInterface))
            .stdout();
    List<String> gateways = new ArrayList<>();
    for (String line : routes.lines().toList()) {
      Matcher via = GATEWAY.matcher(line.strip());
      if (via.find()) {
        gateways.add(via.group(1));
      }
    }
    return new HostAddress(Integer.parseInt(inet.group(2)), gateways.stream().findFirst());
  }

  static String ipv4(InetAddress ip) throws AddressException {
    if (!(ip instanceof Inet4Address)) {
      throw new AddressException(
          ip.getHostAddress() + " is not an IPv4 address: macvlan service addresses are IPv4 only");
    }
    return ip.getHostAddress();
  }
}
