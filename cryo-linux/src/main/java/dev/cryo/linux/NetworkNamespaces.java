package dev.cryo.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces as cryo meets them: running network tools where a program's network is (a
 * command meant for a process's network namespace runs in it through {@code nsenter}, unless it is
 * this process's own), and telling namespaces apart by inode.
 */
public final class NetworkNamespaces {
  private NetworkNamespaces() {}

  /** {@code command}, made to run in the network namespace of {@code pid} (0: this process's). */
  static List<String> commandIn(int pid, String... command) {
    List<String> full = new ArrayList<>();
    if (pid > 0 && !sameAsOurs(pid)) {
      full.addAll(List.of("nsenter", "--net=/proc/" + pid + "/ns/net"));
    }
    full.addAll(List.of(command));
    return full;
  }

  /**
   * The inode that identifies the network namespace {@code pid} runs in, as {@code
   * /proc/PID/ns/net} names it ({@code net:[INODE]}).
   *
   * @throws IOException when the process is gone
   */
  public static long inodeOf(int pid) throws IOException {
    String link =
        Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "net")).toString();
    if (!link.startsWith("net:[") || !link.endsWith("]")) {
      throw new IOException("unexpected namespace link for PID " + pid + ": " + link);
    }
    return Long.parseLong(link.substring("net:[".length(), link.length() - 1));
  }

  /**
   * The inode of the network namespace that {@code file} holds (a bind mount such as {@code
   * /run/netns/NAME}, or {@code /proc/PID/ns/net}).
   *
   * @throws IOException when it cannot be read
   */
  public static long inodeOfFile(Path file) throws IOException {
    return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
  }

  private static boolean sameAsOurs(int pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/net"))
          .equals(Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "net")));
    } catch (IOException e) {
      return true; // the process has ended: its namespace is nobody's concern now
    }
  }
}
