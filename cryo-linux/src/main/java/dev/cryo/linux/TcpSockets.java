package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TCP sockets of a network namespace as /proc/PID/net/tcp and tcp6 list them, and which of them
 * a process tree holds. A checkpoint needs them to know which ports a program listens on, and
 * whether connections are still on their way in to it.
 */
public final class TcpSockets {
  private TcpSockets() {}

  /** The kernel's TCP states, as /proc/net/tcp numbers them. */
  public enum State {
    ESTABLISHED(0x01),
    SYN_RECEIVED(0x03),
    LISTEN(0x0A),
    OTHER(-1);

    private final int code;

    State(int code) {
      this.code = code;
    }

    static State of(int code) {
      for (State s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      return OTHER;
    }
  }

  /**
   * One line of the table.
   *
   * @param localPort the socket's own port
   * @param state its state
   * @param receiveQueue for a listener, the connections waiting in its accept queue; otherwise the
   *     bytes received that the program has not read
   * @param inode the socket's inode, 0 for a connection still being set up (no socket of its own
   *     yet)
   * @param localAddress the socket's own address, as the kernel prints it ({@link SocketAddresses})
   * @param remoteAddress its peer's address, likewise; all zeros for a listener
   */
  public record Entry(
      int localPort,
      State state,
      long receiveQueue,
      long inode,
      String localAddress,
      String remoteAddress) {
    /** The connection in readable form: {@code 127.0.0.1:8080 -> 127.0.0.1:53122}. */
    public String describe() {
      return SocketAddresses.decode(localAddress) + " -> " + SocketAddresses.decode(remoteAddress);
    }
  }

  /**
   * The TCP sockets, IPv4 and IPv6, of the network namespace of {@code pid}; none if it has ended.
   */
  public static List<Entry> inNamespaceOf(int pid) {
    return read(ProcFiles.of(pid).resolve("net"));
  }

  /** The TCP sockets, IPv4 and IPv6, of the calling process's network namespace. */
  public static List<Entry> inOwnNamespace() {
    return read(ProcFiles.self().resolve("net"));
  }

  private static List<Entry> read(Path net) {
    List<Entry> entries = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      // No tcp6 without IPv6 on this host; neither once the process has ended.
      ProcFiles.lines(net.resolve(table), StandardCharsets.ISO_8859_1)
          .ifPresent(lines -> entries.addAll(parse(lines)));
    }
    return entries;
  }

  /**
   * Parses the lines of a /proc/net/tcp table: {@code sl local_address rem_address st
   * tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}, addresses as hexadecimal {@code
   * ADDRESS:PORT}. Lines of another shape (the heading) are skipped.
   */
  static List<Entry> parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[0].endsWith(":")) {
        continue;
      }
      try {
        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        State state = State.of(Integer.parseInt(f[3], 16));
        long receiveQueue = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
        entries.add(new Entry(port, state, receiveQueue, Long.parseLong(f[9]), f[1], f[2]));
      } catch (RuntimeException e) {
        // Not a line of the format above.
      }
    }
    return entries;
  }

  /**
   * The ports on which a process of {@code tree} holds a listening socket, ascending. Every process
   * of a tree that cryo checkpoints shares one network namespace, as CRIU requires.
   */
  public static Set<Integer> listeningPorts(List<Integer> tree) {
    Set<Integer> ports = new TreeSet<>();
    if (tree.isEmpty()) {
      return ports;
    }
    Set<Long> inodes = OpenFiles.socketInodes(tree);
    for (Entry e : inNamespaceOf(tree.get(0))) {
      if (e.state() == State.LISTEN && inodes.contains(e.inode())) {
        ports.add(e.localPort());
      }
    }
    return ports;
  }

  /**
   * How many established connections to {@code ports}, in the network namespace of {@code pid},
   * have not received a byte yet: their client has connected and not sent its request. Read with
   * iproute2's {@code ss}, since /proc does not count bytes; -1 if it cannot be run.
   */
  public static int connectionsWithoutData(int pid, Set<Integer> ports) {
    if (ports.isEmpty()) {
      return 0;
    }
    String filter =
        "( " + String.join(" or ", ports.stream().map(p -> "sport = :" + p).toList()) + " )";
    try {
      Process ss =
          new ProcessBuilder(
                  NetworkNamespaces.commandIn(pid, "ss", "-Htin", "state", "established", filter))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      ss.getOutputStream().close();
      String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return ss.waitFor() == 0 ? withoutData(output) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Counts the connections of {@code ss -tin} output that show no {@code bytes_received}: each
   * connection is a line, followed by an indented line of its TCP information.
   */
  static int withoutData(String ssOutput) {
    int connections = 0;
    int withData = 0;
    for (String line : ssOutput.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        connections++;
      } else if (line.contains(" bytes_received:")) {
        withData++;
      }
    }
    return connections - withData;
  }
}
