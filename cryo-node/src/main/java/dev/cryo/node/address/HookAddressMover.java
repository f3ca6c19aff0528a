package dev.cryo.node.address;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Service addresses where moving one is not an ARP but an API call (routed networks, clouds): Cryo
 * makes the program's namespace and an operator's executable attaches, announces and detaches the
 * address, called as {@code HOOK claim|announce|release PROGRAM IP NETNS}. The contract is in
 * docs/cluster.md, "Service addresses".
 */
public final class HookAddressMover implements AddressMover {
  /** The hook's exit code for "another machine holds this address". */
  public static final int EXIT_IN_USE = 3;

  private final Path hook;
  private final HostCommands host;
  private final ProgramNamespaces namespaces;

  public HookAddressMover(Path hook) {
    this(hook, HostCommands.here());
  }

  public HookAddressMover(Path hook, HostCommands host) {
    this(hook, host, ProgramNamespaces.NETNS_DIR);
  }

  HookAddressMover(Path hook, HostCommands host, Path netnsDir) {
    this.hook = hook;
    this.host = host;
    this.namespaces = new ProgramNamespaces(host, netnsDir);
  }

  @Override
  public Path claim(String program, InetAddress ip) throws AddressException {
    String ns = ProgramNamespaces.name(program);
    namespaces.add(ns);
    try {
      call("claim", program, ip, ns);
    } catch (AddressException e) {
      namespaces.deleteQuietly(ns);
      throw e;
    }
    return namespaces.path(ns);
  }

  @Override
  public void announce(String program, InetAddress ip) throws AddressException {
    call("announce", program, ip, ProgramNamespaces.name(program));
  }

  /** The hook first, while the namespace still exists for it to clean; then the namespace goes. */
  @Override
  public void release(String program, InetAddress ip) throws AddressException {
    String ns = ProgramNamespaces.name(program);
    try {
      call("release", program, ip, ns);
    } finally {
      namespaces.delete(ns);
    }
  }

  @Override
  public List<String> held() throws AddressException {
    return namespaces.held();
  }

  /**
   * Deletes the namespace without calling the hook: which address it held is not known here, and
   * the next claim of that address, wherever it is, moves it.
   */
  @Override
  public void discard(String namespace) throws AddressException {
    namespaces.delete(namespace);
  }

  private void call(String action, String program, InetAddress ip, String ns)
      throws AddressException {
    String address = ip.getHostAddress();
    HostCommands.Result result = host.run(List.of(hook.toString(), action, program, address, ns));
    if (result.exitCode() == EXIT_IN_USE && action.equals("claim")) {
      throw new AddressInUseException(
          address + " is in use, says the address hook " + hook + ": " + result.complaint());
    }
    if (result.exitCode() != 0) {
      throw new AddressException(
          "the address hook "
              + hook
              + " "
              + action
              + " "
              + address
              + " for "
              + program
              + " failed: "
              + result.complaint());
    }
  }
}
