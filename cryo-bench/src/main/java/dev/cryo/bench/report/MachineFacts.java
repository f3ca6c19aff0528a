package dev.cryo.bench.report;

import dev.cryo.linux.HostFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a benchmark ran on, in one line for a report: figures mean little without the cores,
 * CPU, kernel and JDK that produced them, and every harness should say so the same way.
 */
public final class MachineFacts {
  private MachineFacts() {}

  /**
   * How many of a connection's SYN retransmissions the kernel sends one second apart before it
   * doubles the gap ({@code net.ipv4.tcp_syn_linear_timeouts}, Linux 6.5 and later); 0 where the
   * kernel doubles from the first (1 s, then 2 s, 4 s...). A client whose SYN is dropped waits that
   * way.
   */
  public static int synLinearRetries() {
    try {
      return Integer.parseInt(
          Files.readString(Path.of("/proc/sys/net/ipv4/tcp_syn_linear_timeouts")).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Cores, CPU model, kernel and JDK, such as {@code 2 cores (Intel(R) Xeon(R)), Linux 6.1, JDK
   * 17.0.15}.
   */
  public static String describe() {
    String cpu = HostFacts.cpuModel().orElse("unknown CPU");
    String kernel = System.getProperty("os.version");
    return Runtime.getRuntime().availableProcessors()
        + " cores ("
        + cpu
        + "), "
        + "Linux "
        + kernel
        + ", JDK "
        + System.getProperty("java.version");
  }
}
