package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.Standby;
import dev.cryo.checkpoint.StandbyRecords;
import dev.cryo.checkpoint.StandbyRecords.StandbyRecord;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cryo standby}: the standbys that {@code cryo restore --prepare} left, stopped, to be
 * started in milliseconds or ended.
 */
@Command(
    name = "standby",
    mixinStandardHelpOptions = true,
    description = {
      "List the standbys that 'cryo restore --prepare' left stopped, resume one, or end one.",
      "A supervised program keeps its own with 'cryo run --standby' (docs/restore-time.md)."
    },
    subcommands = {StandbyCommand.Resume.class, StandbyCommand.Discard.class})
final class StandbyCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;
  @Spec CommandSpec spec;

  /** Lists the standbys, whether each still waits, and what it was prepared with. */
  @Override
  public Integer call() throws Exception {
    List<StandbyRecord> all = StandbyRecords.of(cryo.readableStore()).list();
    PrintWriter out = spec.commandLine().getOut();
    if (all.isEmpty()) {
      out.println("no standbys (cryo restore CHECKPOINT --prepare makes one)");
      return ExitCode.OK.code();
    }
    out.printf("%-28s %-8s %-8s %s%n", "CHECKPOINT", "PID", "STATE", "PREPARED");
    for (StandbyRecord r : all) {
      out.printf(
          "%-28s %-8d %-8s %s%n",
          r.checkpointLabel(), r.pid(), r.exists() ? "stopped" : "gone", r.preparedAt());
    }
    return ExitCode.OK.code();
  }

  /** A checkpoint, the store's standby records, and the checkpoint's standby, which still waits. */
  record Waiting(StoredCheckpoint checkpoint, StandbyRecords records, StandbyRecord record) {
    static Waiting find(CryoCommand cryo, String reference) throws Exception {
      ImageStore store = cryo.writableStore();
      StoredCheckpoint checkpoint = store.resolve(reference);
      StandbyRecords records = StandbyRecords.of(store);
      StandbyRecord record =
          records
              .find(checkpoint.id())
              .orElseThrow(() -> new NoStandbyException(checkpoint.label(), false));
      if (!record.exists()) {
        records.remove(checkpoint.id());
        throw new NoStandbyException(checkpoint.label(), true);
      }
      return new Waiting(checkpoint, records, record);
    }
  }

  /** {@code cryo standby resume}: starts a standby where it stopped. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = {
        "Start the standby of a checkpoint: its processes continue and are told they were",
        "restored, with the -D properties given to --prepare. Prints its PID."
      })
  static final class Resume implements Callable<Integer> {
    @ParentCommand StandbyCommand standby;

    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint, by name or id.")
    String reference;

    @Override
    public Integer call() throws Exception {
      CryoCommand cryo = standby.cryo;
      Waiting waiting = Waiting.find(cryo, reference);
      StoredCheckpoint checkpoint = waiting.checkpoint();
      RestoreCommand.requireOriginalNotRunning(cryo, checkpoint);
      PrintWriter err = cryo.spec.commandLine().getErr();
      long start = System.nanoTime();
      Standby resumed = waiting.record().standby(checkpoint, n -> err.println("cryo: " + n));
      resumed.resume();
      waiting.records().remove(checkpoint.id());
      cryo.spec.commandLine().getOut().println(resumed.pid());
      err.printf(
          "resumed the standby of %s as PID %d in %s%n",
          checkpoint.label(),
          resumed.pid(),
          HumanUnits.seconds(Duration.ofNanos(System.nanoTime() - start)));
      return ExitCode.OK.code();
    }
  }

  /** {@code cryo standby discard}: ends a standby that will not be needed. */
  @Command(
      name = "discard",
      mixinStandardHelpOptions = true,
      description = "End the standby of a checkpoint and free its memory; the checkpoint is kept.")
  static final class Discard implements Callable<Integer> {
    @ParentCommand StandbyCommand standby;

    @Parameters(index = "0", paramLabel = "NAME|ID", description = "The checkpoint, by name or id.")
    String reference;

    @Override
    public Integer call() throws Exception {
      CryoCommand cryo = standby.cryo;
      Waiting waiting = Waiting.find(cryo, reference);
      waiting.record().standby(waiting.checkpoint(), n -> {}).discard();
      waiting.records().remove(waiting.checkpoint().id());
      cryo.spec
          .commandLine()
          .getErr()
          .printf(
              "ended the standby of %s (PID %d)%n",
              waiting.checkpoint().label(), waiting.record().pid());
      return ExitCode.OK.code();
    }
  }

  /** A checkpoint has no standby waiting. */
  static final class NoStandbyException extends Exception {
    NoStandbyException(String checkpoint, boolean gone) {
      super(
          gone
              ? "the standby of checkpoint "
                  + checkpoint
                  + " is gone (ended, or its host restarted); prepare another with 'cryo restore "
                  + checkpoint
                  + " --prepare'"
              : "checkpoint "
                  + checkpoint
                  + " has no standby; prepare one with 'cryo restore "
                  + checkpoint
                  + " --prepare'");
    }
  }

  /** A checkpoint already has a standby waiting. */
  static final class StandbyExistsException extends Exception {
    StandbyExistsException(String checkpoint, int pid) {
      super(
          "checkpoint "
              + checkpoint
              + " already has a standby (PID "
              + pid
              + "); 'cryo standby resume "
              + checkpoint
              + "' starts it, 'cryo standby discard "
              + checkpoint
              + "' ends it");
    }
  }
}
