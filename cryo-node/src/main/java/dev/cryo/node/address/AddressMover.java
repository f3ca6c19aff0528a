package dev.cryo.node.address;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives a program a service address of its own that moves with it from host to host: each program
 * runs in a network namespace {@code cryo-PROGRAM} that holds its address, and whichever host owns
 * the program attaches that address. On a flat LAN {@link ServiceAddresses} (macvlan and gratuitous
 * ARP) does it; where moving an address is an API call (routed or cloud networks), {@link
 * HookAddressMover} lets an operator's executable do it.
 */
public interface AddressMover {
  /**
   * Creates the program's namespace with {@code ip} reachable in it, and tells the network.
   *
   * @return the namespace's file, such as /run/netns/cryo-web, for the program to run in
   * @throws AddressInUseException when another machine answers for {@code ip}
   */
  Path claim(String program, InetAddress ip) throws AddressException;

  /** Tells the network again that {@code ip} is here: after a restore into the namespace. */
  void announce(String program, InetAddress ip) throws AddressException;

  /** Gives up {@code ip} and deletes the program's namespace; nothing if it holds none. */
  void release(String program, InetAddress ip) throws AddressException;

  /** The cryo-* namespaces on this host: after a restart, those no owned program uses go. */
  List<String> held() throws AddressException;

  /** Deletes a namespace {@link #held()} named, whose program this host no longer owns. */
  void discard(String namespace) throws AddressException;

  /** The namespace name of {@code program}: {@code cryo-PROGRAM}, hashed when long. */
  static String namespaceOf(String program) {
    return ProgramNamespaces.name(program);
  }
}
