package dev.cryo.linux;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes the kernel's hexadecimal socket addresses in /proc/net/tcp and tcp6 into readable ones.
 */
public final class SocketAddresses {
  private SocketAddresses() {}

  /**
   * "0100007F:1F90" becomes "127.0.0.1:8080". The kernel prints an address as 32-bit words in the
   * machine's byte order; IPv4-mapped IPv6 addresses (what a JVM's dual-stack sockets show) come
   * out as IPv4, other IPv6 addresses in brackets.
   */
  public static String decode(String hex) {
    int colon = hex.indexOf(':');
    String address = hex.substring(0, colon);
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    ByteBuffer bytes = ByteBuffer.allocate(address.length() / 2).order(ByteOrder.nativeOrder());
    for (int word = 0; word < address.length() / 8; word++) {
      bytes.putInt((int) Long.parseLong(address.substring(word * 8, word * 8 + 8), 16));
    }
    try {
      InetAddress inet = InetAddress.getByAddress(bytes.array());
      String host = inet.getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    } catch (UnknownHostException e) {
      return hex;
    }
  }
}
