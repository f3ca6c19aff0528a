package dev.cryo.supervisor;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Brings a supervised program back: from its newest checkpoint that verifies and restores, else
 * from each older one in turn, else (for a copy) from the checkpoint it was copied from or (for a
 * run placed by a node) the one it was to start from, else from its checkpoints in its remote
 * repository, if it has one, pulled into the store; and only then, if the run allows it, by
 * starting the command afresh. Every step is an event.
 *
 * <p>A run with an ownership fence never pulls from the remote repository by itself: which of its
 * checkpoints there may be used is for its node to decide, and the node names it ({@link
 * RunSpec#startFrom}). Nothing is started or restored once the fence has expired.
 */
final class Recovery {
  private final Checkpointer checkpointer;
  private final RunCheckpoints checkpoints;
  private final ProgramStarter starter;
  private final ProgramProcesses processes;
  private final SettingNames settingNames;
  private final Optional<RemoteCheckpoints> remote;
  private final BooleanSupplier fenceExpired;

  /**
   * @param remote the run's remote repository, where the last checkpoints to try are
   * @param fenceExpired whether the run's ownership fence has expired, asked before each attempt
   */
  Recovery(
      Checkpointer checkpointer,
      RunCheckpoints checkpoints,
      ProgramStarter starter,
      ProgramProcesses processes,
      SettingNames settingNames,
      Optional<RemoteCheckpoints> remote,
      BooleanSupplier fenceExpired) {
    this.checkpointer = checkpointer;
    this.checkpoints = checkpoints;
    this.starter = starter;
    this.processes = processes;
    this.settingNames = settingNames;
    this.remote = remote;
    this.fenceExpired = fenceExpired;
  }

  /**
   * What an attempt to bring the program back came to.
   *
   * @param program the program, running again; empty if nothing brought it back (the events say
   *     why)
   * @param nothingToTry whether there was no checkpoint to restore and no cold start allowed, so
   *     that trying again cannot help
   * @param fenced whether the attempts stopped because the run's ownership fence expired
   */
  record Outcome(Optional<ProgramTree> program, boolean nothingToTry, boolean fenced) {
    static Outcome back(Optional<ProgramTree> program) {
      return new Outcome(program, false, false);
    }

    static final Outcome FENCED = new Outcome(Optional.empty(), false, true);
  }

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
    // A fenced run's node alone decides which of its checkpoints in the repository may be used.
    boolean useRemote = remote.isPresent() && spec.fence() == null;
    // Those that failed for another reason than damage: a copy from the remote repository is the
    // same checkpoint, and would fail the same way.
    Set<String> failed = new HashSet<>();
    for (int i = 0; i < candidates.size(); i++) {
      StoredCheckpoint checkpoint = candidates.get(i);
      String next =
          i + 1 < candidates.size()
              ? "; trying the one before, " + candidates.get(i + 1).label()
              : useRemote
                  ? "; no older checkpoint here, trying the remote repository"
                  : noOlder(spec);
      if (fenceExpired.getAsBoolean()) {
        return Outcome.FENCED;
      }
      Attempt attempt = restore(run, spec, checkpoint, next, i > 0, "", stateWriter);
      if (attempt.program().isPresent()) {
        return Outcome.back(attempt.program());
      }
      if (!attempt.corrupt()) {
        failed.add(checkpoint.id());
      }
    }
    boolean remoteHasNone = true;
    if (useRemote) {
      String why = candidates.isEmpty() ? "there is none here" : "none here restored";
      FromRemote fromRemote = bringBackFromRemote(run, spec, failed, why, stateWriter);
      if (fromRemote.program().isPresent()) {
        return Outcome.back(fromRemote.program());
      }
      if (fromRemote.fenced()) {
        return Outcome.FENCED;
      }
      remoteHasNone = fromRemote.hadNone();
    }
    if (candidates.isEmpty() && remoteHasNone) {
      events.append(
          "no-checkpoint",
          "there is no checkpoint to restore"
              + remote.filter(r -> useRemote).map(r -> ", here or in " + r.location()).orElse("")
              + (spec.coldStart()
                  ? "; starting afresh (" + settingNames.coldStart() + ")"
                  : "; run with " + settingNames.coldStart() + " to start afresh then"));
    }
    if (spec.coldStart()) {
      if (fenceExpired.getAsBoolean()) {
        return Outcome.FENCED;
      }
      try {
        ProgramTree tree = starter.start(run, spec);
        stateWriter.writeRunning(tree);
        events.append(
            "cold-started",
            "started " + String.join(" ", spec.command()) + " afresh; PID " + tree.mainPid());
        return Outcome.back(Optional.of(tree));
      } catch (IOException e) {
        events.append(
            "start-failed", "could not start " + spec.command().get(0) + ": " + e.getMessage());
      }
    }
    return new Outcome(
        Optional.empty(), candidates.isEmpty() && remoteHasNone && !spec.coldStart(), false);
  }

  private String noOlder(RunSpec spec) {
    return spec.coldStart()
        ? "; no older checkpoint, starting afresh (" + settingNames.coldStart() + ")"
        : "; no older checkpoint";
  }

  /**
   * What trying one checkpoint came to.
   *
   * @param corrupt whether its images were found damaged
   */
  private record Attempt(Optional<ProgramTree> program, boolean corrupt) {}

  /**
   * Restores one checkpoint; each failure is an event ending with {@code next}.
   *
   * @param newerFailed whether newer checkpoints were tried and failed
   * @param whence where the checkpoint came from, for the event that it restored
   */
  private Attempt restore(
      RunDirectory run,
      RunSpec spec,
      StoredCheckpoint checkpoint,
      String next,
      boolean newerFailed,
      String whence,
      RunningStateWriter stateWriter) {
    EventLog events = run.events();
    ProgramTree tree;
    RestoreResult result;
    // The verification runs beside CRIU: the restore's wall time is what it cost.
    Duration took;
    try {
      Files.deleteIfExists(run.exitStatusFile());
      boolean fromOrigin = checkpoint.id().equals(spec.origin());
      RestoreOptions options =
          new RestoreOptions(
              fromOrigin ? spec.properties() : Map.of(),
              run.controlDir(),
              fromOrigin,
              fromOrigin ? ownLogs(run, checkpoint) : Map.of(),
              false,
              spec.networkNamespace().orElse(null));
      long start = System.nanoTime();
      result = restore(run, checkpoint, options);
      took = Duration.ofNanos(System.nanoTime() - start);
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
      return new Attempt(Optional.empty(), true);
    } catch (Exception e) {
      events.append(
          "restore-failed",
          "restoring checkpoint "
              + checkpoint.label()
              + " failed: "
              + FailureMessages.describe(e)
              + next,
          checkpoint.id());
      return new Attempt(Optional.empty(), false);
    }
    stateWriter.writeRunning(tree);
    events.append(
        "restored",
        "restored from checkpoint "
            + checkpoint.label()
            + " (taken "
            + checkpoint.manifest().createdAt()
            + ")"
            + whence
            + " in "
            + HumanUnits.seconds(took)
            + "; PID "
            + tree.mainPid()
            + (newerFailed ? "; the newer checkpoints could not be used" : ""),
        checkpoint.id());
    return new Attempt(Optional.of(tree), false);
  }

  /**
   * What the remote repository came to.
   *
   * @param hadNone whether it was read and holds no checkpoint of the run left to try
   * @param fenced whether the attempts stopped because the run's ownership fence expired
   */
  private record FromRemote(Optional<ProgramTree> program, boolean hadNone, boolean fenced) {}

  /**
   * No checkpoint here restored (the store was wiped, or all are damaged): pulls the run's newest
   * checkpoint from the remote repository into the store and restores it, else each older one in
   * turn. A damaged local copy of one is replaced by the remote one.
   *
   * @param failed checkpoints that failed here for another reason than damage, not tried again
   * @param why why the remote repository is needed, for the events
   */
  private FromRemote bringBackFromRemote(
      RunDirectory run,
      RunSpec spec,
      Set<String> failed,
      String why,
      RunningStateWriter stateWriter) {
    EventLog events = run.events();
    RemoteCheckpoints repository = remote.orElseThrow();
    List<RemoteRepository.Entry> entries;
    try {
      entries = repository.of(spec).stream().filter(e -> !failed.contains(e.id())).toList();
    } catch (ImageStoreException | RuntimeException e) {
      events.append(
          "remote-failed",
          "cannot read the checkpoints in "
              + repository.location()
              + ": "
              + FailureMessages.describe(e)
              + (spec.coldStart() ? "; starting afresh (" + settingNames.coldStart() + ")" : ""));
      return new FromRemote(Optional.empty(), false, false);
    }
    for (int i = 0; i < entries.size(); i++) {
      RemoteRepository.Entry entry = entries.get(i);
      String label = entry.manifest().name() != null ? entry.manifest().name() : entry.id();
      String next =
          i + 1 < entries.size()
              ? "; trying the one before, " + entries.get(i + 1).id()
              : noOlder(spec);
      StoredCheckpoint pulled;
      try {
        discardLocalCopy(entry.id());
        RemoteRepository.Pulled result = checkpointer.pull(repository.repository(), entry.id());
        pulled = result.checkpoint();
        events.append(
            "pulled",
            "checkpoint "
                + label
                + " pulled from "
                + repository.location()
                + ", as "
                + why
                + ": "
                + HumanUnits.bytes(result.summary().checkpointBytes())
                + " of images, "
                + HumanUnits.bytes(result.summary().transferredBytes())
                + " received, in "
                + HumanUnits.seconds(result.summary().elapsed()),
            entry.id());
      } catch (ImageStoreException | RuntimeException e) {
        events.append(
            "pull-failed",
            "could not pull checkpoint "
                + label
                + " from "
                + repository.location()
                + ": "
                + FailureMessages.describe(e)
                + next,
            entry.id());
        continue;
      }
      if (fenceExpired.getAsBoolean()) {
        return new FromRemote(Optional.empty(), false, true);
      }
      Attempt attempt =
          restore(
              run,
              spec,
              pulled,
              next,
              i > 0,
              ", pulled from the remote repository " + repository.location() + ",",
              stateWriter);
      if (attempt.program().isPresent()) {
        return new FromRemote(attempt.program(), false, false);
      }
    }
    return new FromRemote(Optional.empty(), entries.isEmpty(), false);
  }

  /** Deletes the local copy of a checkpoint, if any: it is damaged, or it would have restored. */
  private void discardLocalCopy(String id) throws ImageStoreException {
    try {
      checkpointer.resolve(id);
    } catch (CheckpointNotFoundException e) {
      return;
    }
    checkpointer.delete(id);
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

  /** Adds checkpoint {@code reference} unless listed already; returns false if it is not here. */
  private boolean addUnlessListed(
      RunDirectory run, List<StoredCheckpoint> candidates, String reference) {
    try {
      StoredCheckpoint checkpoint = checkpointer.resolve(reference);
      if (candidates.stream().noneMatch(c -> c.id().equals(checkpoint.id()))) {
        candidates.add(checkpoint);
      }
      return true;
    } catch (CheckpointNotFoundException e) {
      // Deleted since: the run's own checkpoints are all there is.
      return false;
    } catch (ImageStoreException e) {
      run.events()
          .append("store-failed", "cannot read checkpoint " + reference + ": " + e.getMessage());
      return true;
    }
  }

  private List<StoredCheckpoint> candidates(RunDirectory run, RunSpec spec) {
    List<StoredCheckpoint> candidates = new ArrayList<>();
    try {
      candidates.addAll(checkpoints.list(spec));
    } catch (ImageStoreException e) {
      run.events().append("store-failed", "cannot list the checkpoints: " + e.getMessage());
    }
    // A copy's origin, and the checkpoint a node started the run from, are how it comes back
    // while it has no checkpoint of its own.
    if (spec.origin() != null) {
      addUnlessListed(run, candidates, spec.origin());
    }
    if (spec.startFrom() != null && !addUnlessListed(run, candidates, spec.startFrom())) {
      run.events()
          .append(
              "not-found",
              "checkpoint " + spec.startFrom() + ", which the run was to start from, is not here");
    }
    return candidates;
  }
}
