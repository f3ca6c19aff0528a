package dev.cryo.linux;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's packet filter, driven through the {@code nft} tool: the one way cryo changes
 * firewall rules (CRIU's own network lock uses it too, through libnftables). A script runs in the
 * network namespace of a given process, so that rules meant for a program's network reach it
 * wherever it runs.
 */
public final class Nftables {
  private static final long LIMIT_SECONDS = 30;

  private Nftables() {}

  /** What {@code nft} answered: whether it did what was asked, and what it printed. */
  public record Outcome(boolean succeeded, String output) {}

  /** Whether the {@code nft} tool is installed on this host. */
  public static boolean available() {
    return binary().isPresent();
  }

  /**
   * The {@code nft} tool: on the PATH, or in the system directories that a PATH without them (a
   * service's, say) leaves out.
   */
  private static Optional<Path> binary() {
    return Executables.find("nft", System.getenv("PATH") + File.pathSeparator + "/usr/sbin:/sbin");
  }

  /**
   * Runs an nft {@code script} in the network namespace of {@code pid} (this process's own when
   * they are the same, or when {@code pid} is 0). Never throws: a missing tool, a refused script or
   * an ended process is an unsuccessful outcome that says why.
   */
  public static Outcome run(int pid, String script) {
    Optional<Path> nft = binary();
    if (nft.isEmpty()) {
      return new Outcome(false, "the nft tool is not installed (install the nftables package)");
    }
    List<String> command = NetworkNamespaces.commandIn(pid, nft.get().toString(), "-f", "-");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(script.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(false, "nft did not finish within " + LIMIT_SECONDS + " s");
      }
      return new Outcome(p.exitValue() == 0, output);
    } catch (IOException e) {
      return new Outcome(
          false, "cannot run nft: " + e.getMessage() + " (install the nftables package)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted while nft ran");
    }
  }
}
