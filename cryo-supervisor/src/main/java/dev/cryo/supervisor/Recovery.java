package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointService;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a supervised program back: from its newest checkpoint that verifies and restores, else
 * from each older one in turn, else (for a copy) from the checkpoint it was copied from, and
 * only then, if the run allows it, by starting the command afresh. Every step is an event.
 */
final class Recovery {
  private final ImageStore store;
  private final CheckpointService service;
  private final RunCheckpoints checkpoints;
  private final ProgramLauncher launcher;

  Recovery(ImageStore store, CheckpointService service, RunCheckpoints checkpoints, ProgramLauncher launcher) {
    this.store = store;
    this.service = service;
    this.checkpoints = checkpoints;
    this.launcher = launcher;
  }

  /**
   * What an attempt to bring the program back came to.
   *
   * @param program the program, running again; empty if nothing brought it back (the events say why)
   * @param nothingToTry whether there was no checkpoint to restore and no cold start allowed, so
   *     that trying again cannot help
   */
  record Attempt(Optional<ProgramTree> program, boolean nothingToTry) {
  }

  /** Records a program that runs again, before the event that announces it. */
  interface Comeback {
    void running(ProgramTree program);
  }

  /**
   * Tries each way back in turn. The first that works is handed to {@code comeback} before its
   * event is written, so that whoever reads the event finds the run's state saying so already.
   */
  Attempt bringBack(RunDirectory run, RunSpec spec, Comeback comeback) {
    EventLog events = run.events();
    List<StoredCheckpoint> candidates = candidates(run, spec);
    for (int i = 0; i < candidates.size(); i++) {
      StoredCheckpoint checkpoint = candidates.get(i);
      String next = i + 1 < candidates.size() ? "; trying the one before, " + candidates.get(i + 1).label()
          : spec.coldStart() ? "; no older checkpoint, starting afresh (--cold-start)" : "; no older checkpoint";
      ProgramTree tree;
      RestoreResult result;
      try {
        Files.deleteIfExists(run.exitStatusFile());
        boolean fromOrigin = checkpoint.id().equals(spec.origin());
        RestoreOptions options = new RestoreOptions(fromOrigin ? spec.properties() : Map.of(), run.controlDir(),
            fromOrigin, fromOrigin ? ownLogs(run, checkpoint) : Map.of(), false);
        result = restore(run, checkpoint, options);
        Optional<ProgramTree> restored = ProgramTree.of(result.pid());
        if (restored.isEmpty()) {
          ChildReaper.reap(result.pid());
          throw new IOException("the restored program ended at once");
        }
        // A run's checkpoint holds the namespace's init with the program below it. An init alone
        // comes from a checkpoint taken as the program ended (cryo before 0.1 stored those).
        if (checkpoint.manifest().source().run() != null && !restored.get().hasProgram()) {
          discard(result.pid());
          throw new IOException("it holds the namespace's init without the program, which ended as it was taken");
        }
        tree = restored.get();
      } catch (CorruptCheckpointException e) {
        events.append("skipped", "checkpoint " + checkpoint.label() + " is corrupt: " + String.join(", ", e.problems())
            + next, checkpoint.id());
        continue;
      } catch (Exception e) {
        events.append("restore-failed", "restoring checkpoint " + checkpoint.label() + " failed: "
            + FailureMessages.describe(e) + next, checkpoint.id());
        continue;
      }
      comeback.running(tree);
      events.append("restored", "restored from checkpoint " + checkpoint.label() + " (taken "
          + checkpoint.manifest().createdAt() + ") in " + HumanUnits.seconds(result.verifyTime().plus(result.restoreTime()))
          + "; PID " + tree.mainPid() + (i > 0 ? "; the newer checkpoints could not be used" : ""), checkpoint.id());
      return new Attempt(Optional.of(tree), false);
    }
    if (candidates.isEmpty()) {
      events.append("no-checkpoint", "there is no checkpoint to restore"
          + (spec.coldStart() ? "; starting afresh (--cold-start)" : "; run with --cold-start to start afresh then"));
    }
    if (spec.coldStart()) {
      ProgramTree tree = null;
      try {
        tree = launcher.start(run, spec);
      } catch (IOException e) {
        events.append("start-failed", "could not start " + spec.command().get(0) + ": " + e.getMessage());
      }
      if (tree != null) {
        comeback.running(tree);
        events.append("cold-started", "started " + String.join(" ", spec.command()) + " afresh; PID " + tree.mainPid());
        return new Attempt(Optional.of(tree), false);
      }
    }
    return new Attempt(Optional.empty(), candidates.isEmpty() && !spec.coldStart());
  }

  /**
   * Ends what is left of a restore that brought back no program, and reaps it: as the subreaper of
   * restored trees the supervisor would otherwise keep its zombie for as long as it runs.
   */
  private static void discard(int restoredInit) {
    ProcessHandle.of(restoredInit).ifPresent(ProcessHandle::destroyForcibly);
    ChildReaper.awaitExit(restoredInit, Duration.ofSeconds(5));
    ChildReaper.reap(restoredInit);
  }

  /**
   * Restores a checkpoint under the checkpoint lock of the run it was taken of: while a copy sets
   * the original's control socket aside, nothing may checkpoint the original, restore it, or
   * restore another copy of it. (A supervisor never holds its own run's lock while it restores.)
   */
  private RestoreResult restore(RunDirectory run, StoredCheckpoint checkpoint, RestoreOptions options)
      throws Exception {
    String sourceRun = checkpoint.manifest().source().run();
    boolean hasRun = sourceRun != null && Files.isDirectory(run.sibling(sourceRun).path());
    try (java.io.Closeable ignored = hasRun ? run.sibling(sourceRun).lockForCheckpoint() : () -> { }) {
      return service.restore(checkpoint, options, notice -> System.err.println("cryo: " + notice));
    }
  }

  /** A copy writes to its own run's log files, not to those of the run it was copied from. */
  private static Map<java.nio.file.Path, java.nio.file.Path> ownLogs(RunDirectory run, StoredCheckpoint checkpoint) {
    String originRun = checkpoint.manifest().source().run();
    if (originRun == null || originRun.equals(run.name())) {
      return Map.of();
    }
    RunDirectory origin = run.sibling(originRun);
    // CRIU records the paths the kernel shows, with symbolic links resolved.
    return Map.of(realPath(origin.stdout()), run.stdout(), realPath(origin.stderr()), run.stderr());
  }

  private static java.nio.file.Path realPath(java.nio.file.Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private List<StoredCheckpoint> candidates(RunDirectory run, RunSpec spec) {
    List<StoredCheckpoint> candidates = new ArrayList<>();
    try {
      candidates.addAll(checkpoints.of(spec));
    } catch (ImageStoreException e) {
      run.events().append("store-failed", "cannot list the checkpoints: " + e.getMessage());
    }
    if (spec.origin() != null && candidates.stream().noneMatch(c -> c.id().equals(spec.origin()))) {
      try {
        candidates.add(store.resolve(spec.origin()));
      } catch (CheckpointNotFoundException e) {
        // Deleted since: the copy's own checkpoints are all there is.
      } catch (ImageStoreException e) {
        run.events().append("store-failed", "cannot read checkpoint " + spec.origin() + ": " + e.getMessage());
      }
    }
    return candidates;
  }
}
