package dev.cryo.node.address;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the network tools (ip, arping, an operator's hook) in the host's network namespace. A node
 * runs in its host's namespaces already; a test that plays several hosts on one machine runs each
 * one's commands through {@code nsenter --net}, which keeps the mount namespace, so that network
 * namespaces added by {@code ip netns add} stay visible to every later command ({@code ip netns
 * exec} would not: it gives each command a mount namespace of its own).
 */
public final class HostCommands {
  private static final long TIMEOUT_SECONDS = 60;
  private static final File NO_INPUT = new File("/dev/null");

  private final List<String> prefix;

  private HostCommands(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /** Commands run as they are, in this process's network namespace. */
  public static HostCommands here() {
    return new HostCommands(List.of());
  }

  /** Commands run after {@code prefix}, such as {@code env PATH=...}; for tests. */
  static HostCommands withPrefix(List<String> prefix) {
    return new HostCommands(prefix);
  }

  /** Commands run in the network namespace {@code namespaceFile} (such as /run/netns/host-a). */
  public static HostCommands inNetworkNamespace(Path namespaceFile) {
    return new HostCommands(List.of("nsenter", "--net=" + namespaceFile));
  }

  /** What a command did: its exit code and what it printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** The last line of stderr (else of stdout) that is not blank, or "exit code N". */
    public String complaint() {
      for (String output : List.of(stderr, stdout)) {
        List<String> lines = output.strip().lines().filter(l -> !l.isBlank()).toList();
        if (!lines.isEmpty()) {
          return lines.get(lines.size() - 1).strip();
        }
      }
      return "exit code " + exitCode;
    }
  }

  /**
   * Runs {@code command} to its end.
   *
   * @throws AddressException when it cannot be started or does not end within a minute
   */
  public Result run(List<String> command) throws AddressException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(command);
    Process process;
    try {
      process =
          new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).start();
    } catch (IOException e) {
      throw new AddressException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> stdout = readAsync(process.getInputStream());
    CompletableFuture<String> stderr = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AddressException(
            String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), stdout.join(), stderr.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AddressException("interrupted while running " + command.get(0), e);
    }
  }

  /**
   * Runs {@code command} and fails unless it exits with 0.
   *
   * @param what what the command does, for the message: "adding the address 198.18.1.7 to cryo-web"
   * @throws AddressException "WHAT failed: LAST LINE OF STDERR"
   */
  public Result check(String what, List<String> command) throws AddressException {
    Result result = run(command);
    if (result.exitCode() != 0) {
      throw new AddressException(what + " failed: " + result.complaint());
    }
    return result;
  }

  private static CompletableFuture<String> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
