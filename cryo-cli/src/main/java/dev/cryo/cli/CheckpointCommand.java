package dev.cryo.cli;

import dev.cryo.checkpoint.CheckpointRequest;
import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.ProcessNotFoundException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.node.ClusterEvent;
import dev.cryo.supervisor.ProgramTree;
import dev.cryo.supervisor.RunCheckpoints;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cryo checkpoint}: saves a running process tree as a checkpoint. */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = {
      "Checkpoint the process tree rooted at PID into the image store.",
      "The process is stopped once its checkpoint is safely stored, unless --leave-running is given;",
      "if anything fails, it keeps running. Prints the checkpoint's id.",
      "Given the NAME of a supervised program (cryo run), checkpoints it and leaves it running."
    })
final class CheckpointCommand implements Callable<Integer> {
  /**
   * Longer than any preparation should take; also keeps the deadline arithmetic far from overflow.
   */
  private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  @ParentCommand CryoCommand cryo;

  @Parameters(
      index = "0",
      paramLabel = "PID|NAME",
      description = "Root of the process tree to checkpoint, or a supervised program's name.")
  String target;

  @Mixin ClusterOption cluster;

  int pid;

  @Option(names = "--name", paramLabel = "NAME", description = "A unique name to restore it by.")
  String name;

  @Option(names = "--leave-running", description = "Keep the process running after the checkpoint.")
  boolean leaveRunning;

  @Option(
      names = "--plain",
      description = "Dump without telling the processes, even those that run the Cryo runtime.")
  boolean plain;

  @Option(
      names = "--compress",
      description =
          "Store the memory compressed with zstd, after the dump (never while the process is frozen): "
              + "several times smaller; a restore expands it first.")
  boolean compress;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "How long processes that take part in checkpoints may take to get ready (500ms, 30s, 2m; at most 1h; default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws Exception {
    if (cluster.enabled) {
      return checkpointInCluster();
    }
    if (name != null) {
      cryo.requireValid("checkpoint", "--name", ImageStore.invalidNameReason(name));
    }
    if (!target.matches("-?\\d+")) {
      return checkpointRun();
    }
    try {
      pid = Integer.parseInt(target);
    } catch (NumberFormatException e) {
      pid = -1;
    }
    if (pid <= 0) {
      throw new picocli.CommandLine.ParameterException(
          cryo.spec.commandLine().getSubcommands().get("checkpoint"),
          "PID must be a positive number, not " + target);
    }
    Duration participantTimeout =
        DurationOptions.positive(
            cryo.spec.commandLine().getSubcommands().get("checkpoint"),
            "--timeout",
            timeout,
            MAX_TIMEOUT,
            "1h");
    ImageStore store = cryo.writableStore();
    var notices = cryo.spec.commandLine().getErr();
    CheckpointResult result =
        cryo.service(store)
            .checkpoint(
                new CheckpointRequest(
                    pid,
                    name,
                    leaveRunning,
                    participantTimeout,
                    !plain,
                    null,
                    false,
                    compress,
                    0,
                    true),
                n -> notices.println("cryo: " + n));
    StoredCheckpoint cp = result.checkpoint();
    var out = cryo.spec.commandLine().getOut();
    out.println(cp.id());
    var err = cryo.spec.commandLine().getErr();
    err.printf(
        "checkpointed PID %d as %s: %s of images%s; dump %s, total %s; %s; %s%n",
        pid,
        cp.label(),
        HumanUnits.bytes(cp.manifest().imageBytes()),
        result
            .compression()
            .map(
                c ->
                    " (memory compressed from "
                        + HumanUnits.bytes(c.raw())
                        + " to "
                        + HumanUnits.bytes(c.compressed())
                        + ")")
            .orElse(""),
        HumanUnits.seconds(result.dumpTime()),
        HumanUnits.seconds(result.totalTime()),
        result.participantPids().isEmpty()
            ? (plain
                ? "plain CRIU dump, as asked (--plain)"
                : "plain CRIU dump (PID "
                    + pid
                    + " does not run the Cryo runtime, so it was not told a checkpoint was pending)")
            : "coordinated with PID "
                + result.participantPids().stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(", PID ")),
        leaveRunning
            ? "the process keeps running"
            : "the process was ended after the dump ('cryo restore "
                + cp.label()
                + "' brings it back)");
    return ExitCode.OK.code();
  }

  /**
   * A cluster program: its owner takes the checkpoint, uploads it and publishes it, and this
   * command waits for its answer.
   */
  private int checkpointInCluster() throws Exception {
    var command = cryo.spec.commandLine().getSubcommands().get("checkpoint");
    if (plain || compress || leaveRunning || name != null) {
      throw new ParameterException(
          command,
          "with --cluster, the program's node takes the checkpoint as its run does: drop --plain,"
              + " --compress, --leave-running and --name");
    }
    ClusterEvent answer = cluster.connection.client().checkpoint(target, Duration.ofMinutes(3));
    if (!answer.type().equals("requested-checkpoint")) {
      throw new ClusterCheckpointFailedException(answer.node() + ": " + answer.message());
    }
    cryo.spec.commandLine().getErr().println(answer.node() + ": " + answer.message());
    return ExitCode.OK.code();
  }

  /** The program's node could not take the checkpoint asked for. */
  static final class ClusterCheckpointFailedException extends Exception {
    ClusterCheckpointFailedException(String message) {
      super(message);
    }
  }

  /** A supervised program: always left running, and only with the participation its run has. */
  private int checkpointRun() throws Exception {
    var command = cryo.spec.commandLine().getSubcommands().get("checkpoint");
    if (plain) {
      throw new picocli.CommandLine.ParameterException(
          command,
          "--plain applies to PIDs; a supervised program " + "is always told of its checkpoints");
    }
    if (compress) {
      throw new picocli.CommandLine.ParameterException(
          command,
          "--compress applies to PIDs; a supervised "
              + "program's checkpoints stay uncompressed, so that it comes back without expanding them first");
    }
    RunDirectory run = cryo.runs().find(target);
    RunState state =
        run.state()
            .filter(s -> !s.status().isFinal())
            .orElseThrow(
                () ->
                    new ProcessNotFoundException(
                        target + " is not running ('cryo ps' shows its state)"));
    ImageStore store = cryo.writableStore();
    var err = cryo.spec.commandLine().getErr();
    CheckpointResult result =
        new RunCheckpoints(store, cryo.service(store), SupervisionOptions.AS_OPTIONS)
            .take(
                run,
                run.spec(),
                ProgramTree.of(state),
                Optional.ofNullable(name),
                n -> err.println("cryo: " + n));
    StoredCheckpoint cp = result.checkpoint();
    cryo.spec.commandLine().getOut().println(cp.id());
    err.printf(
        "checkpointed %s as %s: %s of images; paused %s, total %s; it keeps running%n",
        target,
        cp.label(),
        HumanUnits.bytes(cp.manifest().imageBytes()),
        HumanUnits.seconds(result.dumpTime()),
        HumanUnits.seconds(result.totalTime()));
    return ExitCode.OK.code();
  }
}
