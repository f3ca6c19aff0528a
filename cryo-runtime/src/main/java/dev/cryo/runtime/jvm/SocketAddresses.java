package dev.cryo.runtime.jvm;

/** Decodes the kernel's hexadecimal socket addresses in /proc/net/tcp and tcp6 into readable ones. */
final class SocketAddresses {
  private SocketAddresses() {
  }

  /** "0100007F:1F90" becomes "127.0.0.1:8080"; IPv6 addresses are shown in full hexadecimal groups. */
  static String decode(String hex) {
    int colon = hex.indexOf(':');
    String address = hex.substring(0, colon);
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    if (address.length() == 8) {
      StringBuilder ip = new StringBuilder();
      for (int i = 6; i >= 0; i -= 2) {
        ip.append(Integer.parseInt(address.substring(i, i + 2), 16));
        if (i > 0) {
          ip.append('.');
        }
      }
      return ip + ":" + port;
    }
    StringBuilder ip = new StringBuilder("[");
    // Four 32-bit words, each in host (little-endian) byte order.
    for (int word = 0; word < 4; word++) {
      String w = address.substring(word * 8, word * 8 + 8);
      String bigEndian = w.substring(6, 8) + w.substring(4, 6) + w.substring(2, 4) + w.substring(0, 2);
      ip.append(bigEndian, 0, 4).append(':').append(bigEndian, 4, 8);
      if (word < 3) {
        ip.append(':');
      }
    }
    return ip.append("]:").append(port).toString();
  }
}
