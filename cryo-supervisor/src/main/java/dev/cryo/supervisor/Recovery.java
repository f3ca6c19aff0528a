package dev.cryo.supervisor;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a supervised program back: from its newest checkpoint that verifies and restores, else
 * from each older one in turn, else (for a copy) from the checkpoint it was copied from, and only
 * then, if the run allows it, by starting the command afresh. Every step is an event.
 */
final class Recovery {
  private final Checkpointer checkpointer;
  private final RunCheckpoints checkpoints;
  private final ProgramStarter starter;
  private final ProgramProcesses processes;
  private final SettingNames settingNames;

  Recovery(
      Checkpointer checkpointer,
      RunCheckpoints checkpoints,
      ProgramStarter starter,
      ProgramProcesses processes,
      SettingNames settingNames) {
    this.checkpointer = checkpointer;
    this.checkpoints = checkpoints;
    this.starter = starter;
    this.processes = processes;
    this.settingNames = settingNames;
  }

  /**
   * What an attempt to bring the program back came to.
   *
   * @param program the program, running again; empty if nothing brought it back (the events say
   *     why)
   * @param nothingToTry whether there was no checkpoint to restore and no cold start allowed, so
   *     that trying again cannot help
   */
  record Outcome(Optional<ProgramTree> program, boolean nothingToTry) {}

  /** Writes the run's state for a program that runs again, before the event that announces it. */
  interface RunningStateWriter {
    void writeRunning(ProgramTree program);
  }

  /**
   * Tries each way back in turn. The first that works is handed to {@code stateWriter} before its
   * event is written, so that whoever reads the event finds the run's state saying so already.
   */
  Outcome bringBack(RunDirectory run, RunSpec spec, RunningStateWriter stateWriter) {
    EventLog events = run.events();
    List<StoredCheckpoint> candidates = candidates(run, spec);
    for (int i = 0; i < candidates.size(); i++) {
      StoredCheckpoint checkpoint = candidates.get(i);
      String next =
          i + 1 < candidates.size()
              ? "; trying the one before, " + candidates.get(i + 1).label()
              : spec.coldStart()
                  ? "; no older checkpoint, starting afresh (" + settingNames.coldStart() + ")"
                  : "; no older checkpoint";
      ProgramTree tree;
      RestoreResult result;
      try {
        Files.deleteIfExists(run.exitStatusFile());
        boolean fromOrigin = checkpoint.id().equals(spec.origin());
        RestoreOptions options =
            new RestoreOptions(
                fromOrigin ? spec.properties() : Map.of(),
                run.controlDir(),
                fromOrigin,
                fromOrigin ? ownLogs(run, checkpoint) : Map.of(),
                false);
        result = restore(run, checkpoint, options);
        Optional<ProgramTree> restored = processes.tree(result.pid());
        if (restored.isEmpty()) {
          processes.reap(result.pid());
          throw new IOException("the restored program ended at once");
        }
        // A run's checkpoint holds the namespace's init with the program below it. An init alone
        // comes from a checkpoint taken as the program ended (cryo before 0.1 stored those).
        if (checkpoint.manifest().source().run() != null && !restored.get().hasProgram()) {
          processes.discard(result.pid());
          throw new IOException(
              "it holds the namespace's init without the program, which ended as it was taken");
        }
        tree = restored.get();
      } catch (CorruptCheckpointException e) {
        events.append(
            "skipped",
            "checkpoint "
                + checkpoint.label()
                + " is corrupt: "
                + String.join(", ", e.problems())
                + next,
            checkpoint.id());
        continue;
      } catch (Exception e) {
        events.append(
            "restore-failed",
            "restoring checkpoint "
                + checkpoint.label()
                + " failed: "
                + FailureMessages.describe(e)
                + next,
            checkpoint.id());
        continue;
      }
      stateWriter.writeRunning(tree);
      events.append(
          "restored",
          "restored from checkpoint "
              + checkpoint.label()
              + " (taken "
              + checkpoint.manifest().createdAt()
              + ") in "
              + HumanUnits.seconds(result.verifyTime().plus(result.restoreTime()))
              + "; PID "
              + tree.mainPid()
              + (i > 0 ? "; the newer checkpoints could not be used" : ""),
          checkpoint.id());
      return new Outcome(Optional.of(tree), false);
    }
    if (candidates.isEmpty()) {
      events.append(
          "no-checkpoint",
          "there is no checkpoint to restore"
              + (spec.coldStart()
                  ? "; starting afresh (" + settingNames.coldStart() + ")"
                  : "; run with " + settingNames.coldStart() + " to start afresh then"));
    }
    if (spec.coldStart()) {
      try {
        ProgramTree tree = starter.start(run, spec);
        stateWriter.writeRunning(tree);
        events.append(
            "cold-started",
            "started " + String.join(" ", spec.command()) + " afresh; PID " + tree.mainPid());
        return new Outcome(Optional.of(tree), false);
      } catch (IOException e) {
        events.append(
            "start-failed", "could not start " + spec.command().get(0) + ": " + e.getMessage());
      }
    }
    return new Outcome(Optional.empty(), candidates.isEmpty() && !spec.coldStart());
  }

  /**
   * Restores a checkpoint under the checkpoint lock of the run it was taken of: while a copy sets
   * the original's control socket aside, nothing may checkpoint the original, restore it, or
   * restore another copy of it. (A supervisor never holds its own run's lock while it restores.)
   */
  private RestoreResult restore(
      RunDirectory run, StoredCheckpoint checkpoint, RestoreOptions options) throws Exception {
    String sourceRun = checkpoint.manifest().source().run();
    boolean hasRun = sourceRun != null && Files.isDirectory(run.sibling(sourceRun).path());
    try (Closeable ignored = hasRun ? run.sibling(sourceRun).lockForCheckpoint() : () -> {}) {
      return checkpointer.restore(
          checkpoint, options, notice -> System.err.println("cryo: " + notice));
    }
  }

  /** A copy writes to its own run's log files, not to those of the run it was copied from. */
  private static Map<Path, Path> ownLogs(RunDirectory run, StoredCheckpoint checkpoint) {
    String originRun = checkpoint.manifest().source().run();
    if (originRun == null || originRun.equals(run.name())) {
      return Map.of();
    }
    RunDirectory origin = run.sibling(originRun);
    // CRIU records the paths the kernel shows, with symbolic links resolved.
    return Map.of(realPath(origin.stdout()), run.stdout(), realPath(origin.stderr()), run.stderr());
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private List<StoredCheckpoint> candidates(RunDirectory run, RunSpec spec) {
    List<StoredCheckpoint> candidates = new ArrayList<>();
    try {
      candidates.addAll(checkpoints.list(spec));
    } catch (ImageStoreException e) {
      run.events().append("store-failed", "cannot list the checkpoints: " + e.getMessage());
    }
    if (spec.origin() != null && candidates.stream().noneMatch(c -> c.id().equals(spec.origin()))) {
      try {
        candidates.add(checkpointer.resolve(spec.origin()));
      } catch (CheckpointNotFoundException e) {
        // Deleted since: the copy's own checkpoints are all there is.
      } catch (ImageStoreException e) {
        run.events()
            .append(
                "store-failed", "cannot read checkpoint " + spec.origin() + ": " + e.getMessage());
      }
    }
    return candidates;
  }
}
