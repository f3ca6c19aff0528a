package dev.cryo.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's packet filter, driven through the {@code nft} tool: the one way cryo changes
 * firewall rules (CRIU's own network lock uses it too, through libnftables). A script runs in
 * the network namespace of a given process, so that rules meant for a program's network reach
 * it wherever it runs.
 */
public final class Nftables {
  private static final long LIMIT_SECONDS = 30;

  private Nftables() {
  }

  /** What {@code nft} answered: whether it did what was asked, and what it printed. */
  public record Outcome(boolean succeeded, String output) {
  }

  /** Whether the {@code nft} tool is installed on this host. */
  public static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nft"))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft"));
  }

  /**
   * Runs an nft {@code script} in the network namespace of {@code pid} (this process's own when
   * they are the same, or when {@code pid} is 0). Never throws: a missing tool, a refused script
   * or an ended process is an unsuccessful outcome that says why.
   */
  public static Outcome run(int pid, String script) {
    List<String> command = NetworkNamespaces.commandIn(pid, "nft", "-f", "-");
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
      return new Outcome(false, "cannot run nft: " + e.getMessage() + " (install the nftables package)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted while nft ran");
    }
  }

}
