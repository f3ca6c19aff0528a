package dev.cryo.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The unix sockets of a network namespace as /proc/PID/net/unix lists them: cryo finds a process's
 * control socket among them, and the runtime the connections a restore cannot bring back.
 */
public final class UnixSockets {
  /** {@code __SO_ACCEPTCON} in the Flags column: the socket listens. */
  private static final int LISTENING_FLAG = 0x10000;

  private static final int STREAM = 1;
  private static final int CONNECTED = 3;

  private UnixSockets() {}

  /**
   * One line of the table.
   *
   * @param flags the socket's flags (hexadecimal on the line)
   * @param type 1 for a stream socket, 2 datagram, 5 seqpacket
   * @param state 1 unconnected (a listener's state too), 3 connected
   * @param inode the socket's inode, as the {@code socket:[INODE]} links of /proc/PID/fd name it
   * @param path the path it is bound to, {@code @NAME} for an abstract one, empty for none
   */
  public record Entry(int flags, int type, int state, long inode, String path) {
    /** Whether this is a stream socket listening for connections. */
    public boolean isListeningStream() {
      return type == STREAM && (flags & LISTENING_FLAG) != 0;
    }

    public boolean isConnected() {
      return state == CONNECTED;
    }
  }

  /** The unix sockets of the network namespace of {@code pid}; none if it has ended. */
  public static List<Entry> inNamespaceOf(long pid) {
    return read(ProcFiles.of(pid).resolve("net/unix"));
  }

  /** The unix sockets of the calling process's network namespace. */
  public static List<Entry> inOwnNamespace() {
    return read(ProcFiles.self().resolve("net/unix"));
  }

  private static List<Entry> read(Path table) {
    return ProcFiles.lines(table, StandardCharsets.UTF_8).map(UnixSockets::parse).orElse(List.of());
  }

  /**
   * Parses the lines of a /proc/net/unix table: {@code Num RefCount Protocol Flags Type St Inode
   * Path}, numbers in hexadecimal but the inode. The path is the last column and may hold spaces:
   * it is taken whole. Lines of another shape (the heading) are skipped.
   */
  public static List<Entry> parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+", 8);
      if (f.length < 7 || !f[0].endsWith(":")) {
        continue;
      }
      try {
        entries.add(
            new Entry(
                Integer.parseInt(f[3], 16),
                Integer.parseInt(f[4], 16),
                Integer.parseInt(f[5], 16),
                Long.parseLong(f[6]),
                f.length == 8 ? f[7] : ""));
      } catch (RuntimeException e) {
        // Not a line of the format above.
      }
    }
    return entries;
  }
}
