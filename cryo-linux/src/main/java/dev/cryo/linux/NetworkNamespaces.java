package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

  /**
   * Sets every link of the namespace in {@code namespaceFile} but the loopback down, with {@code
   * ip} run in it: its addresses then stop answering, to ARP as well. Returns the links set down.
   *
   * @throws IOException when {@code ip} cannot be run or fails
   */
  public static List<String> setLinksDown(Path namespaceFile) throws IOException {
    List<String> links = new ArrayList<>();
    for (String line : run(namespaceFile, "ip", "-o", "link", "show").split("\n")) {
      // "2: eth0@if7: <BROADCAST,...> ...": the name ends at '@' (a link's peer) or ':'.
      String[] fields = line.split(":", 3);
      if (fields.length < 3) {
        continue;
      }
      String name = fields[1].trim();
      int at = name.indexOf('@');
      name = at < 0 ? name : name.substring(0, at);
      if (!name.isEmpty() && !name.equals("lo")) {
        links.add(name);
      }
    }
    for (String link : links) {
      run(namespaceFile, "ip", "link", "set", link, "down");
    }
    return links;
  }

  /** Runs {@code command} in the namespace of {@code namespaceFile}; returns what it printed. */
  private static String run(Path namespaceFile, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + namespaceFile));
    full.addAll(List.of(command));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", full), e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " failed: " + output.trim());
    }
    return output;
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
