package dev.cryo.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs network tools where a program's network is: a command meant for a process's network
 * namespace runs in it through {@code nsenter}, unless it is this process's own.
 */
final class NetworkNamespaces {
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

  private static boolean sameAsOurs(int pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/net"))
          .equals(Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "net")));
    } catch (IOException e) {
      return true; // the process has ended: its namespace is nobody's concern now
    }
  }
}
