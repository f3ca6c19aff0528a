package dev.cryo.runtime.control;

import dev.cryo.linux.NamespacePids;
import dev.cryo.linux.PrivateFiles;
import dev.cryo.linux.ProcessStat;
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
import java.util.function.LongConsumer;

/**
 * Starts the {@code cryo checkpoint} that takes a checkpoint the application asked for. CRIU cannot
 * dump a tree from inside it, so cryo must not be this process's child: a shell starts it in the
 * background and exits, which leaves cryo to the system's reaper. Its output goes to a private file
 * whose last line explains a failure.
 */
public final class SelfCheckpointLauncher {
  /** How long cryo may take to start and send {@code pending}. */
  private static final Duration START_LIMIT = Duration.ofMinutes(2);

  private final Path logFile;

  /**
   * @param logFile where cryo's output goes; null where the control socket could not be opened
   */
  public SelfCheckpointLauncher(Path logFile) {
    this.logFile = logFile;
  }

  /** How a launch ended: cryo sent {@code pending}, or the checkpoint cannot happen. */
  public sealed interface Launch {
    /** cryo has sent {@code pending}: the checkpoint is under way. */
    record Started() implements Launch {}

    /** No checkpoint: {@code reason} says why, for the application's exception. */
    record Failed(String reason) implements Launch {}
  }

  private static Launch failed(String reason) {
    return new Launch.Failed(reason);
  }

  /** Launches cryo and waits until it has sent {@code pending} ({@code received} completes). */
  public Launch launchAndAwait(CompletableFuture<String> received, LongConsumer helperStarted) {
    if (logFile == null) {
      return failed(
          "this process cannot take part in checkpoints: its control socket could not be opened (see the warning at startup)");
    }
    if (NamespacePids.selfInNestedNamespace()) {
      // A cryo started from here would be part of the tree it dumps, and would see another PID.
      return failed(
          "this process runs in a PID namespace of its own (as under 'cryo run'); checkpoint it from outside "
              + "with 'cryo checkpoint NAME'");
    }
    Path cryo = RuntimeSettings.command().orElse(null);
    if (cryo == null) {
      String configured = System.getProperty(RuntimeSettings.COMMAND);
      return failed(
          configured != null && !configured.isBlank()
              ? "-D"
                  + RuntimeSettings.COMMAND
                  + "="
                  + configured
                  + " is not an executable file; point it at cryo's bin/cryo"
              : "the cryo command was not found: set -D"
                  + RuntimeSettings.COMMAND
                  + "=/path/to/cryo, set CRYO_HOME, or put cryo on the PATH");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                "-c",
                "command -v setsid >/dev/null && set -- setsid \"$@\"; \"$@\" </dev/null >>\"$LOG\" 2>&1 & echo $!",
                "cryo-launcher",
                cryo.toString(),
                "checkpoint",
                Long.toString(ProcessHandle.current().pid())));
    RuntimeSettings.checkpointName().ifPresent(name -> command.addAll(List.of("--name", name)));
    RuntimeSettings.store().ifPresent(store -> command.addAll(List.of("--store", store)));
    if (RuntimeSettings.leaveRunning()) {
      command.add("--leave-running");
    }
    long helperPid;
    try {
      Files.deleteIfExists(logFile);
      Files.createFile(logFile, PrivateFiles.fileAttribute());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("LOG", logFile.toString());
      Process shell = builder.start();
      String printed =
          new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      shell.waitFor();
      helperPid = Long.parseLong(printed);
    } catch (IOException | NumberFormatException e) {
      return failed("could not start " + cryo + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted while starting cryo");
    }
    helperStarted.accept(helperPid);
    RuntimeLog.info(
        "checkpoint requested by the application; cryo (PID " + helperPid + ") logs to " + logFile);
    OptionalLong helperStart = ProcessStat.startTimeOf(helperPid);
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try {
        received.get(200, TimeUnit.MILLISECONDS);
        return new Launch.Started();
      } catch (TimeoutException e) {
        OptionalLong now = ProcessStat.startTimeOf(helperPid);
        if (helperStart.isEmpty() || now.isEmpty() || now.getAsLong() != helperStart.getAsLong()) {
          if (received.isDone()) {
            return new Launch.Started();
          }
          return failed("cryo checkpoint failed: " + lastLine(logFile));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ProcessHandle.of(helperPid).ifPresent(ProcessHandle::destroy);
        return failed("interrupted while waiting for cryo (it was stopped)");
      } catch (ExecutionException e) {
        return failed("cryo checkpoint failed: " + e.getCause());
      }
    }
    ProcessHandle.of(helperPid).ifPresent(ProcessHandle::destroy);
    return failed(
        "cryo did not start the checkpoint within "
            + START_LIMIT.toMinutes()
            + " minutes (it was stopped); see "
            + logFile);
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
