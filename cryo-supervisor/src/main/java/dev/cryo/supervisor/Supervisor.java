package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointService;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.images.ImageStore;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Watches one supervised program for as long as the run lasts: checkpoints it on schedule, and
 * when it ends, decides by its restart policy whether to bring it back (see {@link Recovery}),
 * backing off when it keeps ending soon after each start, and giving up after
 * {@code --max-restarts} such endings in a row. Everything it decides is an event.
 *
 * <p>It keeps nothing that is not on disk: a supervisor that dies leaves the program running, and
 * the next one picks it up from {@code state.json}. Its lock on the run's directory is what tells
 * others that the run is watched.
 */
public final class Supervisor {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final RunDirectory run;
  private final RunCheckpoints checkpoints;
  private final Recovery recovery;
  private final ProgramLauncher launcher;
  private final EventLog events;
  private final long self = ProcessHandle.current().pid();
  private RunSpec spec;
  private RunState state;
  private ProgramTree program;
  /** Whether the program had already ended when this supervisor adopted it. */
  private boolean endedUnwatched;
  /** Scheduled checkpoints that failed since the last one that succeeded. */
  private int checkpointFailures;

  public Supervisor(RunDirectory run, ImageStore store, CheckpointService service, ProgramLauncher launcher) {
    this.run = run;
    this.checkpoints = new RunCheckpoints(store, service);
    this.recovery = new Recovery(store, service, checkpoints, launcher);
    this.launcher = launcher;
    this.events = run.events();
  }

  /**
   * Supervises the run until it is over. Returns false at once if another supervisor already
   * holds it.
   */
  public boolean supervise() throws IOException {
    FileLock lock = run.lockAsSupervisor();
    if (lock == null) {
      return false;
    }
    try {
      if (!ChildReaper.becomeSubreaper()) {
        System.err.println("cryo: could not become a child subreaper; restored programs will be reaped by PID 1");
      }
      spec = run.spec();
      Optional<RunState> previous = run.state();
      if (previous.isPresent() && previous.get().status().isFinal()) {
        return true;
      }
      boolean neverStarted = previous.isEmpty() || previous.get().initPid() == 0;
      if (neverStarted && run.stopRequested()) {
        state = previous.orElse(Runs.initialState()).withSupervisor(self);
        events.append("stopped", "stopped as asked (cryo stop), before it started");
        setStatus(RunStatus.STOPPED, "stopped");
        run.clearStopRequest();
        return true;
      }
      if (neverStarted) {
        if (!begin()) {
          return true;
        }
      } else {
        adopt(previous.get());
      }
      watch();
      return true;
    } finally {
      lock.channel().close();
    }
  }

  /** The first start: the command, or for a copy the checkpoint it copies. */
  private boolean begin() throws IOException {
    Optional<ProgramTree> started;
    if (spec.origin() != null) {
      started = recovery.bringBack(run, spec, tree -> running(tree, 0, 0)).program();
    } else {
      try {
        started = Optional.of(launcher.start(run, spec));
      } catch (IOException e) {
        events.append("start-failed", "could not start " + spec.command().get(0) + ": " + e.getMessage());
        started = Optional.empty();
      }
      if (started.isPresent()) {
        running(started.get(), 0, 0);
        events.append("started", "started " + String.join(" ", spec.command()) + "; PID " + started.get().mainPid()
            + ", in its own PID and time namespaces");
      }
    }
    if (started.isEmpty()) {
      state = new RunState(RunStatus.FAILED, 0, 0, 0, self, 0, 0, now(), "could not start");
      save();
      return false;
    }
    return true;
  }

  /** The program runs (again): recorded before any event says so. */
  private void running(ProgramTree tree, int restarts, int streak) {
    program = tree;
    state = RunState.running(tree, self, restarts, streak, now());
    save();
  }

  /** A supervisor before this one died: carry on with what it left. */
  private void adopt(RunState previous) throws IOException {
    program = ProgramTree.of(previous);
    if (program.isAlive()) {
      events.append("adopted", "supervisor PID " + self + " took over the program (PID " + program.mainPid()
          + ") from supervisor PID " + previous.supervisorPid() + ", which is gone");
    } else {
      endedUnwatched = true;
    }
    state = RunState.running(program, self, previous.restarts(), previous.streak(), previous.since());
    save();
  }

  private void watch() throws IOException {
    Instant nextCheckpoint = Instant.now().plus(spec.every());
    while (true) {
      Optional<ExitStatus> reaped = ChildReaper.reap(program.initPid());
      if (run.stopRequested()) {
        stop();
        return;
      }
      if (reaped.isPresent() || !program.isAlive()) {
        if (!afterEnd(exitStatus(reaped))) {
          return;
        }
        nextCheckpoint = Instant.now().plus(spec.every());
        continue;
      }
      if (!Instant.now().isBefore(nextCheckpoint)) {
        nextCheckpoint = Instant.now().plus(checkpoint());
      }
      // Back at once when the program ends; otherwise to look for a stop request or the next checkpoint.
      ChildReaper.awaitExit(program.initPid(), POLL);
    }
  }

  /** Takes a scheduled checkpoint; returns how long until the next one is due. */
  private Duration checkpoint() throws IOException {
    setStatus(RunStatus.CHECKPOINTING, null);
    boolean taken = false;
    Duration untilNext = spec.every();
    try {
      taken = checkpoints.takeIfIdle(run, spec, program, notice -> System.err.println("cryo: " + notice)).isPresent();
      checkpointFailures = 0;
    } catch (Exception e) {
      // A failed checkpoint is an event already, and the program keeps running; a program that
      // ended meanwhile is the next poll's business.
      if (program.programRuns()) {
        checkpointFailures++;
        untilNext = CheckpointSchedule.spaced(CheckpointSchedule.retryDelay(checkpointFailures, spec.every()),
            checkpoints.holdsNewConnections());
        if (untilNext.compareTo(spec.every()) < 0) {
          events.append("retrying", "the next checkpoint is tried in " + HumanUnits.seconds(untilNext)
              + " rather than in " + HumanUnits.seconds(spec.every()) + " (" + checkpointFailures + " failed in a row)");
        }
      }
    }
    // A program checkpointed since it came back is not crash-looping: its next ending starts afresh.
    state = state.withStreak(taken ? 0 : state.streak()).withStatus(RunStatus.RUNNING, null);
    save();
    return CheckpointSchedule.spaced(untilNext, checkpoints.holdsNewConnections());
  }

  /**
   * The program ended: decides, and brings it back if it should be. Returns false when the run is
   * over.
   */
  private boolean afterEnd(ExitStatus status) throws IOException {
    events.append("died", "the program (PID " + program.mainPid() + ") " + status.describe()
        + (endedUnwatched ? " while no supervisor was watching" : ""));
    endedUnwatched = false;
    if (run.stopRequested()) {
      stop();
      return false;
    }
    if (!spec.restart().restartsAfter(status)) {
      String why = spec.restart() == RestartPolicy.NEVER ? "--restart never" : "it exited cleanly, and --restart on-crash";
      events.append("exited", "not brought back: " + why);
      setStatus(RunStatus.EXITED, status.describe());
      return false;
    }
    // The streak is reset by a successful checkpoint (see checkpoint()) or a long enough run.
    boolean ranWell = Duration.between(Instant.parse(state.since()), Instant.now()).compareTo(Backoff.HEALTHY_RUN) >= 0;
    int streak = ranWell ? 1 : state.streak() + 1;
    while (true) {
      if (streak > spec.maxRestarts()) {
        events.append("gave-up", "the program could not be kept running: it ended or could not be brought back "
            + (streak - 1) + " times in a row without a checkpoint in between (--max-restarts " + spec.maxRestarts() + ")");
        setStatus(RunStatus.FAILED, "gave up after " + (streak - 1) + " attempts");
        return false;
      }
      Duration delay = Backoff.delay(streak);
      if (!delay.isZero()) {
        events.append("waiting", "waiting " + delay.toSeconds() + " s before attempt " + streak
            + " (it keeps ending before it can be checkpointed again)");
        setStatus(RunStatus.WAITING, null);
        if (!sleepUnlessStopped(delay)) {
          stop();
          return false;
        }
      }
      setStatus(RunStatus.RESTORING, null);
      int restarts = state.restarts() + 1;
      int attempt = streak;
      Recovery.Attempt back = recovery.bringBack(run, spec, tree -> running(tree, restarts, attempt));
      if (back.program().isPresent()) {
        return true;
      }
      if (back.nothingToTry()) {
        setStatus(RunStatus.FAILED, "no checkpoint to restore");
        return false;
      }
      streak++;
    }
  }

  private ExitStatus exitStatus(Optional<ExitStatus> reaped) {
    if (reaped.isPresent()) {
      return reaped.get();
    }
    // A copy's init was started by the original's run, and writes that run's file.
    List<java.nio.file.Path> files = spec.originRun() == null ? List.of(run.exitStatusFile())
        : List.of(run.exitStatusFile(), run.sibling(spec.originRun()).exitStatusFile());
    for (java.nio.file.Path file : files) {
      try {
        String[] recorded = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
        // An init that ended before it was seen (PID 0) wrote the only status there can be.
        if (recorded.length == 2 && (program.initPid() == 0 || Integer.parseInt(recorded[0]) == program.initPid())) {
          return ExitStatus.fromShell(Integer.parseInt(recorded[1]));
        }
      } catch (IOException | NumberFormatException e) {
        // Not written: the whole namespace was killed before its init could.
      }
    }
    return ExitStatus.UNKNOWN;
  }

  private void stop() throws IOException {
    setStatus(RunStatus.STOPPING, null);
    ProgramStopper.stop(program, STOP_GRACE);
    ChildReaper.reap(program.initPid());
    events.append("stopped", "stopped as asked (cryo stop)");
    // STOPPED first: a supervisor that died between the two must not bring the program back.
    setStatus(RunStatus.STOPPED, "stopped");
    run.clearStopRequest();
  }

  private void setStatus(RunStatus status, String detail) {
    state = state.withStatus(status, detail);
    save();
  }

  /**
   * Writes the state. A full disk must not end the supervisor: the program stays watched, and
   * the state is written again at the next change.
   */
  private void save() {
    try {
      run.writeState(state);
    } catch (IOException e) {
      System.err.println("cryo: could not write " + run.path().resolve("state.json") + ": " + e.getMessage());
    }
  }

  private boolean sleepUnlessStopped(Duration delay) {
    Instant end = Instant.now().plus(delay);
    while (Instant.now().isBefore(end)) {
      if (run.stopRequested()) {
        return false;
      }
      sleep(POLL);
    }
    return true;
  }

  private static String now() {
    return Instant.now().toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
