package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.CheckpointService;
import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.ProcessNotFoundException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A run's checkpoints: taking one (by the supervisor on schedule, or by {@code cryo checkpoint
 * NAME}), one at a time, always leaving the program running; keeping the newest {@code --keep}; and
 * listing them, newest first. Each outcome is an event.
 */
public final class RunCheckpoints {
  private final Checkpointer checkpointer;
  private final Runs runs;
  private final ProgramProcesses processes;
  private final SettingNames settingNames;

  /** The checkpoints that retention must leave for now: those being uploaded. */
  private final Supplier<Set<String>> inUse;

  /**
   * Whether the program may close its listeners when told {@code pending}, so that its new clients
   * must be held from before it is told. Assumed until a checkpoint shows otherwise, and learned
   * again at each checkpoint: holding a program that keeps listening would make its new clients
   * wait for nothing.
   */
  private volatile boolean programMayCloseListeners = true;

  /**
   * @param settingNames how the events name the run's settings
   */
  public RunCheckpoints(ImageStore store, CheckpointService service, SettingNames settingNames) {
    this(
        new ServiceCheckpointer(store, service),
        new Runs(store.root()),
        LinuxProgramProcesses.INSTANCE,
        settingNames,
        Set::of);
  }

  /**
   * @param runs the store's runs, whose copies' origins retention keeps
   * @param inUse the ids of checkpoints that retention leaves until the next time (those being
   *     uploaded)
   */
  RunCheckpoints(
      Checkpointer checkpointer,
      Runs runs,
      ProgramProcesses processes,
      SettingNames settingNames,
      Supplier<Set<String>> inUse) {
    this.checkpointer = checkpointer;
    this.runs = runs;
    this.processes = processes;
    this.settingNames = settingNames;
    this.inUse = inUse;
  }

  /**
   * Whether the program's new clients are held during its checkpoints, as far as its last
   * checkpoint showed.
   */
  boolean holdsNewConnections() {
    return programMayCloseListeners;
  }

  /**
   * The run's checkpoints, newest first. Named ones are included; earlier runs of the name are not.
   */
  public List<StoredCheckpoint> list(RunSpec spec) throws ImageStoreException {
    return among(checkpointer.list(), spec);
  }

  /** The run's checkpoints in {@code store}, newest first, for those who only read. */
  public static List<StoredCheckpoint> in(ImageStore store, RunSpec spec)
      throws ImageStoreException {
    return among(store.list(), spec);
  }

  /**
   * The run's checkpoints among {@code all} (a store's listing, read once for several runs), newest
   * first.
   */
  public static List<StoredCheckpoint> among(List<StoredCheckpoint> all, RunSpec spec) {
    List<StoredCheckpoint> mine = new ArrayList<>();
    for (StoredCheckpoint checkpoint : all) {
      if (isOf(checkpoint.manifest(), spec)) {
        mine.add(checkpoint);
      }
    }
    mine.sort(Comparator.comparing(StoredCheckpoint::manifest, NEWEST_FIRST));
    return mine;
  }

  /** The order of a run's checkpoints, here or in its remote repository: newest first. */
  static final Comparator<Manifest> NEWEST_FIRST =
      Comparator.comparing(Manifest::createdAt).thenComparing(Manifest::id).reversed();

  /**
   * The ids that retention deletes among a run's checkpoints, given {@link #NEWEST_FIRST}: the
   * unnamed ones beyond the newest {@code keep}, but none of {@code kept}. One rule for the
   * checkpoints here and for those in the run's remote repository.
   */
  static List<String> beyondKeep(List<Manifest> newestFirst, int keep, Set<String> kept) {
    List<Manifest> unnamed = newestFirst.stream().filter(m -> m.name() == null).toList();
    return unnamed.subList(Math.min(keep, unnamed.size()), unnamed.size()).stream()
        .map(Manifest::id)
        .filter(id -> !kept.contains(id))
        .toList();
  }

  /**
   * Whether a checkpoint is one of the run's: taken of a run of its name since it began (a run of
   * the same name before it is another run). Wherever the checkpoint is kept.
   */
  static boolean isOf(Manifest manifest, RunSpec spec) {
    return spec.name().equals(manifest.source().run())
        && manifest.createdAt().compareTo(spec.createdAt()) >= 0;
  }

  /**
   * Checkpoints the program, leaving it running, then applies retention. Failures are recorded as
   * an event and rethrown; the program keeps running and earlier checkpoints stay as they were.
   *
   * @param name a name for the checkpoint, which retention then never deletes
   */
  public CheckpointResult take(
      RunDirectory run,
      RunSpec spec,
      ProgramTree program,
      Optional<String> name,
      Consumer<String> notices)
      throws Exception {
    try (Closeable ignored = run.lockForCheckpoint()) {
      return takeLocked(run, spec, program, name, notices);
    }
  }

  /**
   * A scheduled checkpoint: taken like {@link #take}, unless another checkpoint of the program is
   * under way ({@code cryo checkpoint NAME}), which serves as well; then empty, at once. The
   * supervisor never waits on a lock that someone else could hold for long.
   */
  Optional<CheckpointResult> takeIfIdle(
      RunDirectory run, RunSpec spec, ProgramTree program, Consumer<String> notices)
      throws Exception {
    Optional<Closeable> lock = run.tryLockForCheckpoint();
    if (lock.isEmpty()) {
      return Optional.empty();
    }
    try (Closeable ignored = lock.get()) {
      return Optional.of(takeLocked(run, spec, program, Optional.empty(), notices));
    }
  }

  private CheckpointResult takeLocked(
      RunDirectory run,
      RunSpec spec,
      ProgramTree program,
      Optional<String> name,
      Consumer<String> notices)
      throws Exception {
    if (!processes.isAlive(program)) {
      // Not a failed checkpoint: there is nothing to checkpoint (the supervisor will see why).
      throw new ProcessNotFoundException("program " + spec.name() + " is not running");
    }
    EventLog events = run.events();
    try {
      CheckpointResult result =
          checkpointer.checkpoint(spec, program, name, programMayCloseListeners, notices);
      if (result.listeners() != CheckpointResult.Listeners.NONE) {
        // A program that listened on nothing yet (still starting, say) has shown nothing.
        programMayCloseListeners = result.listeners() == CheckpointResult.Listeners.CLOSED;
      }
      StoredCheckpoint checkpoint = result.checkpoint();
      events.append(
          "checkpointed",
          String.format(
              "checkpoint %s: %s of images; program paused %s, %s in all; %s",
              checkpoint.label(),
              HumanUnits.bytes(checkpoint.manifest().imageBytes()),
              HumanUnits.seconds(result.dumpTime()),
              HumanUnits.seconds(result.totalTime()),
              result.participantPids().isEmpty()
                  ? "plain CRIU dump"
                  : "coordinated with PID " + result.participantPids().get(0)),
          checkpoint.id());
      applyRetention(run, spec, checkpoint);
      return result;
    } catch (Exception e) {
      Optional<String> previous = newestLabel(spec);
      // A program that ended during the checkpoint does not keep running: the next poll sees it.
      String keepsRunning = processes.programRuns(program) ? "; the program keeps running" : "";
      events.append(
          "checkpoint-failed",
          FailureMessages.describe(e)
              + keepsRunning
              + previous
                  .map(
                      label ->
                          (keepsRunning.isEmpty() ? "; " : " and ")
                              + "checkpoint "
                              + label
                              + " is untouched")
                  .orElse(""));
      throw e;
    }
  }

  private Optional<String> newestLabel(RunSpec spec) {
    try {
      return list(spec).stream().findFirst().map(StoredCheckpoint::label);
    } catch (ImageStoreException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes the run's unnamed checkpoints beyond the newest {@code keep}, never {@code justTaken}
   * nor one that a running copy was made from; one being uploaded is left for the next time.
   */
  private void applyRetention(RunDirectory run, RunSpec spec, StoredCheckpoint justTaken) {
    try {
      Set<String> kept = new HashSet<>(runs.originsInUse());
      kept.addAll(inUse.get());
      kept.add(justTaken.id());
      List<Manifest> mine = list(spec).stream().map(StoredCheckpoint::manifest).toList();
      for (String old : beyondKeep(mine, spec.keep(), kept)) {
        checkpointer.delete(old);
        run.events()
            .append(
                "deleted",
                "checkpoint " + old + " deleted: " + settingNames.keep(spec.keep()),
                old);
      }
    } catch (ImageStoreException | IOException e) {
      run.events()
          .append("retention-failed", "could not delete old checkpoints: " + e.getMessage());
    }
  }
}
