package dev.cryo.cli;

import dev.cryo.checkpoint.CheckpointRequest;
import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.runtime.notify.Durations;
import java.time.Duration;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code cryo checkpoint}: saves a running process tree as a checkpoint. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = {"Checkpoint the process tree rooted at PID into the image store.",
        "The process is stopped once its checkpoint is safely stored, unless --leave-running is given;",
        "if anything fails, it keeps running. Prints the checkpoint's id."})
final class CheckpointCommand implements Callable<Integer> {
  /** Longer than any preparation should take; also keeps the deadline arithmetic far from overflow. */
  private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  @ParentCommand
  CryoCommand cryo;

  @Parameters(index = "0", paramLabel = "PID", description = "Root of the process tree to checkpoint.")
  int pid;

  @Option(names = "--name", paramLabel = "NAME", description = "A unique name to restore it by.")
  String name;

  @Option(names = "--leave-running", description = "Keep the process running after the checkpoint.")
  boolean leaveRunning;

  @Option(names = "--plain",
      description = "Dump without telling the processes, even those that run the Cryo runtime.")
  boolean plain;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long processes that take part in checkpoints may take to get ready (500ms, 30s, 2m; at most 1h; default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws Exception {
    if (pid <= 0) {
      throw new picocli.CommandLine.ParameterException(cryo.spec.commandLine().getSubcommands().get("checkpoint"),
          "PID must be a positive number, not " + pid);
    }
    Duration coordinationTimeout;
    try {
      coordinationTimeout = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cryo.spec.commandLine().getSubcommands().get("checkpoint"),
          "--timeout: " + e.getMessage());
    }
    if (coordinationTimeout.isZero() || coordinationTimeout.isNegative() || coordinationTimeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new picocli.CommandLine.ParameterException(cryo.spec.commandLine().getSubcommands().get("checkpoint"),
          "--timeout must be positive and at most 1h, not " + timeout);
    }
    if (name != null) {
      java.util.Optional<String> invalid = ImageStore.invalidNameReason(name);
      if (invalid.isPresent()) {
        throw new picocli.CommandLine.ParameterException(cryo.spec.commandLine().getSubcommands().get("checkpoint"),
            "--name: " + invalid.get());
      }
    }
    ImageStore store = cryo.writableStore();
    var notices = cryo.spec.commandLine().getErr();
    CheckpointResult result = cryo.service(store).checkpoint(
        new CheckpointRequest(pid, name, leaveRunning, coordinationTimeout, !plain), n -> notices.println("cryo: " + n));
    StoredCheckpoint cp = result.checkpoint();
    var out = cryo.spec.commandLine().getOut();
    out.println(cp.id());
    var err = cryo.spec.commandLine().getErr();
    err.printf("checkpointed PID %d as %s: %s of images; dump %s, total %s; %s; %s%n", pid, cp.label(),
        Format.bytes(cp.manifest().imageBytes()), Format.seconds(result.dumpTime()), Format.seconds(result.totalTime()),
        result.coordinatedPids().isEmpty()
            ? (plain ? "plain CRIU dump, as asked (--plain)"
                : "plain CRIU dump (PID " + pid + " does not run the Cryo runtime, so it was not told a checkpoint was pending)")
            : "coordinated with PID " + result.coordinatedPids().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", PID ")),
        leaveRunning ? "the process keeps running"
            : "the process was ended after the dump ('cryo restore " + cp.label() + "' brings it back)");
    return ExitCode.OK.code();
  }
}
