package dev.cryo.runtime.control;

import dev.cryo.runtime.config.RuntimeLog;
import dev.cryo.runtime.config.RuntimeSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the {@code cryo checkpoint} that takes a checkpoint the application asked for. CRIU
 * cannot dump a tree from inside it, so cryo must not be this process's child: a shell starts it
 * in the background and exits, which leaves cryo to the system's reaper. Its output goes to a
 * private file whose last line explains a failure.
 */
public final class SelfCheckpointLauncher {
  /** How long cryo may take to start and send {@code pending}. */
  private static final Duration START_LIMIT = Duration.ofMinutes(2);

  private final Path logFile;

  /** @param logFile where cryo's output goes; null where coordination is off (no control socket) */
  public SelfCheckpointLauncher(Path logFile) {
    this.logFile = logFile;
  }

  /** Whether this process's PID namespace is below another one ({@code NSpid} lists several PIDs). */
  static boolean inNestedPidNamespace() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1).stream()
          .filter(line -> line.startsWith("NSpid:"))
          .anyMatch(line -> line.substring(6).trim().split("\\s+").length > 1);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Launches cryo and waits until it has sent {@code pending} ({@code received} completes).
   * Returns null then, or why the checkpoint cannot happen.
   */
  public String launchAndAwait(CompletableFuture<String> received, java.util.function.LongConsumer helperStarted) {
    if (logFile == null) {
      return "checkpoint coordination is off in this process: its control socket could not be opened (see the warning at startup)";
    }
    if (inNestedPidNamespace()) {
      // A cryo started from here would be part of the tree it dumps, and would see another PID.
      return "this process runs in a PID namespace of its own (as under 'cryo run'); checkpoint it from outside "
          + "with 'cryo checkpoint NAME'";
    }
    Path cryo = RuntimeSettings.command().orElse(null);
    if (cryo == null) {
      String configured = System.getProperty(RuntimeSettings.COMMAND);
      return configured != null && !configured.isBlank()
          ? "-D" + RuntimeSettings.COMMAND + "=" + configured + " is not an executable file; point it at cryo's bin/cryo"
          : "the cryo command was not found: set -D" + RuntimeSettings.COMMAND + "=/path/to/cryo, set CRYO_HOME, or put cryo on the PATH";
    }
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
        "command -v setsid >/dev/null && set -- setsid \"$@\"; \"$@\" </dev/null >>\"$LOG\" 2>&1 & echo $!", "cryo-launcher", cryo.toString(), "checkpoint",
        Long.toString(ProcessHandle.current().pid())));
    RuntimeSettings.checkpointName().ifPresent(name -> command.addAll(List.of("--name", name)));
    RuntimeSettings.store().ifPresent(store -> command.addAll(List.of("--store", store)));
    if (RuntimeSettings.leaveRunning()) {
      command.add("--leave-running");
    }
    long helperPid;
    try {
      Files.deleteIfExists(logFile);
      Files.createFile(logFile, PrivateFiles.ownerOnlyFile());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("LOG", logFile.toString());
      Process shell = builder.start();
      String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      shell.waitFor();
      helperPid = Long.parseLong(printed);
    } catch (IOException | NumberFormatException e) {
      return "could not start " + cryo + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while starting cryo";
    }
    helperStarted.accept(helperPid);
    RuntimeLog.info("checkpoint requested by the application; cryo (PID " + helperPid + ") logs to " + logFile);
    OptionalLong helperStart = ProcessStart.of(helperPid);
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        received.get(200, TimeUnit.MILLISECONDS);
        return null;
      } catch (TimeoutException e) {
        OptionalLong now = ProcessStart.of(helperPid);
        if (helperStart.isEmpty() || now.isEmpty() || now.getAsLong() != helperStart.getAsLong()) {
          if (received.isDone()) {
            return null;
          }
          return "cryo checkpoint failed: " + lastLine(logFile);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ProcessHandle.of(helperPid).ifPresent(ProcessHandle::destroy);
        return "interrupted while waiting for cryo (it was stopped)";
      } catch (ExecutionException e) {
        return "cryo checkpoint failed: " + e.getCause();
      }
    }
    ProcessHandle.of(helperPid).ifPresent(ProcessHandle::destroy);
    return "cryo did not start the checkpoint within " + START_LIMIT.toMinutes() + " minutes (it was stopped); see " + logFile;
  }

  private static String lastLine(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).trim() + " (full output: " + logFile + ")";
        }
      }
      return "it exited without a message (see " + logFile + ")";
    } catch (IOException e) {
      return "its output could not be read from " + logFile;
    }
  }
}
