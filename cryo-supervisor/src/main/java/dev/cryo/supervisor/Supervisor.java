package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.CheckpointService;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.TimeSource;
import dev.cryo.images.ImageStore;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Watches one supervised program for as long as the run lasts: checkpoints it on schedule (and
 * uploads each checkpoint to the run's remote repository, if it has one: {@link RemoteUploads}),
 * and when it ends, decides by its restart policy whether to bring it back (see {@link Recovery}),
 * backing off when it keeps ending soon after each start, and giving up after the run's maximum of
 * such endings in a row ({@link RestartDecision}). Everything it decides is an event.
 *
 * <p>It keeps nothing that is not on disk: a supervisor that dies leaves the program running, and
 * the next one picks it up from {@code state.json}. Its lock on the run's directory is what tells
 * others that the run is watched.
 *
 * <p>A run placed by a node has an ownership fence ({@link OwnershipFence}): once it has expired
 * (at the latest one poll later, or at once during a checkpoint or restore), the supervisor kills
 * the program's whole tree, takes the links of its network namespace down, records the run as
 * {@link RunStatus#FENCED}, and never starts or restores it again: another host may run it now.
 */
public final class Supervisor {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final RunDirectory run;
  private final RunCheckpoints checkpoints;
  private final Recovery recovery;
  private final ProgramStarter starter;
  private final ProgramProcesses processes;
  private final TimeSource time;
  private final SettingNames settingNames;
  private final EventLog events;
  private final Optional<RemoteUploads> uploads;
  private final NetworkLinks links;
  private final RunStandby standby;
  private final long supervisorPid = ProcessHandle.current().pid();
  private volatile RunSpec spec;
  private RunState state;

  /**
   * Volatile: a fence that expires during a checkpoint or restore is acted on from another thread.
   */
  private volatile ProgramTree program;

  /** Whether the program had already ended when this supervisor adopted it. */
  private boolean endedWhileUnsupervised;

  /** Scheduled checkpoints that failed since the last one that succeeded. */
  private int checkpointFailures;

  /**
   * @param settingNames how the events name the run's settings when they give one as a reason
   */
  public Supervisor(
      RunDirectory run,
      ImageStore store,
      CheckpointService service,
      ProgramLauncher launcher,
      SettingNames settingNames) {
    this(run, store, service, launcher, settingNames, Optional.empty());
  }

  /**
   * @param settingNames how the events name the run's settings when they give one as a reason
   * @param remote the remote repository the run's spec names, if it names one
   */
  public Supervisor(
      RunDirectory run,
      ImageStore store,
      CheckpointService service,
      ProgramLauncher launcher,
      SettingNames settingNames,
      Optional<RemoteCheckpoints> remote) {
    this(
        run,
        new ServiceCheckpointer(store, service),
        new Runs(store.root()),
        launcher,
        LinuxProgramProcesses.INSTANCE,
        TimeSource.SYSTEM,
        settingNames,
        remote);
  }

  /**
   * @param runs the store's runs, whose copies' origins retention keeps
   */
  Supervisor(
      RunDirectory run,
      Checkpointer checkpointer,
      Runs runs,
      ProgramStarter starter,
      ProgramProcesses processes,
      TimeSource time,
      SettingNames settingNames,
      Optional<RemoteCheckpoints> remote) {
    this(
        run, checkpointer, runs, starter, processes, time, settingNames, remote, NetworkLinks.HOST);
  }

  /**
   * @param links the links of the run's network namespace, which fencing takes down
   */
  Supervisor(
      RunDirectory run,
      Checkpointer checkpointer,
      Runs runs,
      ProgramStarter starter,
      ProgramProcesses processes,
      TimeSource time,
      SettingNames settingNames,
      Optional<RemoteCheckpoints> remote,
      NetworkLinks links) {
    this.run = run;
    this.time = time;
    this.uploads =
        remote.map(r -> new RemoteUploads(r, run, runs, settingNames, this::fenceExpired));
    this.checkpoints =
        new RunCheckpoints(
            checkpointer,
            runs,
            processes,
            settingNames,
            () -> uploads.map(RemoteUploads::inUse).orElse(Set.of()));
    this.recovery =
        new Recovery(
            checkpointer,
            checkpoints,
            starter,
            processes,
            settingNames,
            remote,
            this::fenceExpired);
    this.starter = starter;
    this.processes = processes;
    this.settingNames = settingNames;
    this.events = run.events();
    this.links = links;
    this.standby = new RunStandby(checkpointer, processes, run);
  }

  /**
   * Supervises the run until it is over. Returns false at once if another supervisor already holds
   * it.
   */
  public boolean supervise() throws IOException {
    Optional<FileLock> lock = run.lockAsSupervisor();
    if (lock.isEmpty()) {
      return false;
    }
    try {
      if (!processes.becomeSubreaper()) {
        System.err.println(
            "cryo: could not become a child subreaper; restored programs will be reaped by PID 1");
      }
      spec = run.spec();
      standby.discardLeftOver();
      Optional<RunState> previous = run.state();
      if (previous.isPresent() && previous.get().status().isFinal()) {
        return true;
      }
      boolean neverStarted = previous.isEmpty() || previous.get().initPid() == 0;
      if (fenceExpired()) {
        state = previous.orElse(Runs.initialState()).withSupervisor(supervisorPid);
        if (!neverStarted) {
          program = ProgramTree.of(previous.get());
        }
        fence(neverStarted ? "before it started" : "");
        return true;
      }
      if (neverStarted && run.stopRequested()) {
        state = previous.orElse(Runs.initialState()).withSupervisor(supervisorPid);
        events.append("stopped", "stopped as asked (cryo stop), before it started");
        setStatus(RunStatus.STOPPED, "stopped");
        run.clearStopRequest();
        return true;
      }
      if (neverStarted) {
        if (!startFirstTime()) {
          return true;
        }
      } else {
        adopt(previous.get());
      }
      watch();
      return true;
    } finally {
      // Over, or this supervisor fails: a standby must not outlive the one who would resume it.
      standby.discard();
      uploads.ifPresent(RemoteUploads::close);
      lock.get().channel().close();
    }
  }

  /**
   * The first start: the command, or for a copy the checkpoint it copies, or for a run placed by a
   * node the checkpoint it names. Returns false when the program could not be started, which ends
   * the run.
   */
  private boolean startFirstTime() throws IOException {
    Optional<ProgramTree> started;
    if (spec.origin() != null || spec.startFrom() != null) {
      Recovery.Outcome outcome;
      try (FenceWatch ignored = watchFence()) {
        outcome = recovery.bringBack(run, spec, tree -> recordRunning(tree, 0, 0));
      }
      if (outcome.fenced() || fenceExpired()) {
        state = (state == null ? Runs.initialState() : state).withSupervisor(supervisorPid);
        fence("before it started");
        return false;
      }
      started = outcome.program();
    } else {
      try {
        started = Optional.of(starter.start(run, spec));
      } catch (IOException e) {
        events.append(
            "start-failed", "could not start " + spec.command().get(0) + ": " + e.getMessage());
        started = Optional.empty();
      }
      if (started.isPresent()) {
        recordRunning(started.get(), 0, 0);
        events.append(
            "started",
            "started "
                + String.join(" ", spec.command())
                + "; PID "
                + started.get().mainPid()
                + ", in its own PID and time namespaces");
      }
    }
    if (started.isEmpty()) {
      state =
          new RunState(RunStatus.FAILED, 0, 0, 0, supervisorPid, 0, 0, now(), "could not start");
      save();
      return false;
    }
    return true;
  }

  /** The program runs (again): written to the run's state before any event says so. */
  private void recordRunning(ProgramTree tree, int restarts, int streak) {
    program = tree;
    state = RunState.running(tree, supervisorPid, restarts, streak, now());
    save();
  }

  /** A supervisor before this one died: carry on with what it left. */
  private void adopt(RunState previous) throws IOException {
    program = ProgramTree.of(previous);
    if (processes.isAlive(program)) {
      events.append(
          "adopted",
          "supervisor PID "
              + supervisorPid
              + " took over the program (PID "
              + program.mainPid()
              + ") from supervisor PID "
              + previous.supervisorPid()
              + ", which is gone");
    } else {
      endedWhileUnsupervised = true;
    }
    state =
        RunState.running(
            program, supervisorPid, previous.restarts(), previous.streak(), previous.since());
    save();
  }

  private void watch() throws IOException {
    Instant nextCheckpoint = time.now().plus(spec.every());
    while (true) {
      if (fenceExpired()) {
        fence("");
        return;
      }
      Optional<ExitStatus> reaped = processes.reap(program.initPid());
      if (run.stopRequested()) {
        stop();
        return;
      }
      if (reaped.isPresent() || !processes.isAlive(program)) {
        if (!bringBackOrEnd(exitStatus(reaped))) {
          return;
        }
        nextCheckpoint = time.now().plus(spec.every());
        continue;
      }
      if (!time.now().isBefore(nextCheckpoint)) {
        nextCheckpoint = time.now().plus(checkpoint());
      }
      // Back at once when the program ends; otherwise to look for a stop request or the next
      // checkpoint.
      processes.awaitExit(program.initPid(), POLL_INTERVAL);
    }
  }

  /** Takes a scheduled checkpoint; returns how long until the next one is due. */
  private Duration checkpoint() throws IOException {
    setStatus(RunStatus.CHECKPOINTING, null);
    boolean taken = false;
    int failuresInARow = 0;
    try {
      Optional<CheckpointResult> result;
      // No upload reads the disk or the network while the program is frozen.
      try (RemoteUploads.Hold ignored = holdUploads();
          FenceWatch watch = watchFence()) {
        result =
            checkpoints.takeIfIdle(
                run, spec, program, notice -> System.err.println("cryo: " + notice));
      }
      // Published, and the program resumed: the upload takes neither its time nor the schedule's.
      result.ifPresent(r -> uploads.ifPresent(u -> u.offer(spec, r.checkpoint())));
      if (spec.standby() && result.isPresent()) {
        standby.replace(spec, result.get().checkpoint());
      }
      taken = result.isPresent();
      checkpointFailures = 0;
    } catch (Exception e) {
      // A failed checkpoint is an event already, and the program keeps running; a program that
      // ended meanwhile is the next poll's business.
      if (processes.programRuns(program)) {
        failuresInARow = ++checkpointFailures;
      }
    }
    Duration untilNext =
        CheckpointSchedule.untilNext(
            failuresInARow, spec.every(), checkpoints.holdsNewConnections());
    if (failuresInARow > 0 && untilNext.compareTo(spec.every()) < 0) {
      events.append(
          "retrying",
          "the next checkpoint is tried in "
              + HumanUnits.seconds(untilNext)
              + " rather than in "
              + HumanUnits.seconds(spec.every())
              + " ("
              + failuresInARow
              + " failed in a row)");
    }
    // A program checkpointed since it came back is not crash-looping: its next ending starts
    // afresh.
    state = state.withStreak(taken ? 0 : state.streak()).withStatus(RunStatus.RUNNING, null);
    save();
    return untilNext;
  }

  /**
   * The program ended: brings it back if the run's restart policy says so, as often as the run
   * allows. Returns false when the run is over.
   */
  private boolean bringBackOrEnd(ExitStatus status) throws IOException {
    events.append(
        "died",
        "the program (PID "
            + program.mainPid()
            + ") "
            + status.describe()
            + (endedWhileUnsupervised ? " while no supervisor was watching" : ""));
    endedWhileUnsupervised = false;
    if (fenceExpired()) {
      fence("");
      return false;
    }
    if (run.stopRequested()) {
      stop();
      return false;
    }
    RestartDecision decision = RestartDecision.of(spec);
    RestartDecision.Next next =
        decision.afterEnding(status, state.streak(), Instant.parse(state.since()), time.now());
    while (next instanceof RestartDecision.BringBack attempt) {
      Duration delay = attempt.delay();
      if (!delay.isZero()) {
        events.append(
            "waiting",
            "waiting "
                + delay.toSeconds()
                + " s before attempt "
                + attempt.streak()
                + " (it keeps ending before it can be checkpointed again)");
        setStatus(RunStatus.WAITING, null);
        if (!sleepUnlessStopped(delay)) {
          if (fenceExpired()) {
            fence("");
          } else {
            stop();
          }
          return false;
        }
      }
      int restarts = state.restarts() + 1;
      // Before anything else is written: the clients wait for this.
      if (standby.resume(tree -> recordRunning(tree, restarts, attempt.streak())).isPresent()) {
        return true;
      }
      setStatus(RunStatus.RESTORING, null);
      Recovery.Outcome back;
      try (RemoteUploads.Hold ignored = holdUploads();
          FenceWatch watch = watchFence()) {
        back =
            recovery.bringBack(run, spec, tree -> recordRunning(tree, restarts, attempt.streak()));
      }
      if (back.fenced() || fenceExpired()) {
        fence("");
        return false;
      }
      if (back.program().isPresent()) {
        return true;
      }
      if (back.nothingToTry()) {
        setStatus(RunStatus.FAILED, "no checkpoint to restore");
        return false;
      }
      next = decision.afterFailedAttempt(attempt);
    }
    if (next instanceof RestartDecision.GiveUp giveUp) {
      events.append(
          "gave-up",
          "the program could not be kept running: it ended or could not be brought back "
              + giveUp.failuresInARow()
              + " times in a row without a checkpoint in between ("
              + settingNames.maxRestarts(spec.maxRestarts())
              + ")");
      setStatus(RunStatus.FAILED, "gave up after " + giveUp.failuresInARow() + " attempts");
      return false;
    }
    String why =
        spec.restart() == RestartPolicy.NEVER
            ? settingNames.restart(RestartPolicy.NEVER)
            : "it exited cleanly, and " + settingNames.restart(spec.restart());
    events.append("exited", "not brought back: " + why);
    setStatus(RunStatus.EXITED, status.describe());
    return false;
  }

  private ExitStatus exitStatus(Optional<ExitStatus> reaped) {
    if (reaped.isPresent()) {
      return reaped.get();
    }
    // A copy's init was started by the original's run, and writes that run's file.
    List<Path> files =
        spec.originRun() == null
            ? List.of(run.exitStatusFile())
            : List.of(run.exitStatusFile(), run.sibling(spec.originRun()).exitStatusFile());
    for (Path file : files) {
      try {
        String[] recorded = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
        // An init that ended before it was seen (PID 0) wrote the only status there can be.
        if (recorded.length == 2
            && (program.initPid() == 0 || Integer.parseInt(recorded[0]) == program.initPid())) {
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
    standby.discard();
    processes.stop(program, STOP_GRACE);
    processes.reap(program.initPid());
    events.append("stopped", "stopped as asked (cryo stop)");
    // STOPPED first: a supervisor that died between the two must not bring the program back.
    setStatus(RunStatus.STOPPED, "stopped");
    run.clearStopRequest();
  }

  /** Whether the run has an ownership fence, and it has expired. */
  private boolean fenceExpired() {
    RunSpec current = spec;
    return current != null
        && current.fenceFile().map(f -> OwnershipFence.expired(f, time.nanoTime())).orElse(false);
  }

  /**
   * Watches the fence while a long step runs (a checkpoint, a restore), and if it expires meanwhile
   * takes the program and its network down at once; the step's end then records it. Nothing for a
   * run without a fence.
   */
  private FenceWatch watchFence() {
    return spec.fence() == null
        ? FenceWatch.NONE
        : FenceWatch.start(this::fenceExpired, () -> takeDown(), POLL_INTERVAL);
  }

  /**
   * Ends the program's whole tree and sets the links of its network namespace down; returns those
   * links. Safe to repeat, and from another thread.
   */
  private List<String> takeDown() {
    ProgramTree current = program;
    standby.discard();
    if (current != null && current.initPid() > 0) {
      processes.kill(current);
    }
    Optional<Path> network = spec.networkNamespace();
    if (network.isEmpty()) {
      return List.of();
    }
    try {
      return links.setDown(network.get());
    } catch (IOException e) {
      events.append(
          "fence-failed",
          "could not set the links of " + network.get() + " down: " + e.getMessage());
      return List.of();
    }
  }

  /**
   * The run's fence expired: ends the program and its network for good, and records why. {@code
   * when} says when, if not while the program ran.
   */
  private void fence(String when) {
    ProgramTree killed = program;
    List<String> down = takeDown();
    String what =
        killed != null && killed.initPid() > 0
            ? "the program (PID " + killed.mainPid() + ") and its namespace were killed"
            : "the program was not started" + (when.isEmpty() ? "" : " (" + when + ")");
    events.append(
        "fenced",
        what
            + (down.isEmpty() ? "" : ", and links " + String.join(", ", down) + " set down")
            + ": its ownership fence "
            + spec.fence()
            + " expired, as the node's ownership lease could not be renewed in time;"
            + " another host may now run it, so it is never started here again");
    setStatus(RunStatus.FENCED, "fenced");
  }

  /** Pauses uploads while it is held; nothing if the run uploads none. */
  private RemoteUploads.Hold holdUploads() {
    return uploads.isPresent() ? uploads.get().holdOff() : () -> {};
  }

  private void setStatus(RunStatus status, String detail) {
    state = state.withStatus(status, detail);
    save();
  }

  /**
   * Writes the state. A full disk must not end the supervisor: the program stays watched, and the
   * state is written again at the next change.
   */
  private void save() {
    try {
      run.writeState(state);
    } catch (IOException e) {
      System.err.println(
          "cryo: could not write " + run.path().resolve("state.json") + ": " + e.getMessage());
    }
  }

  /**
   * Waits for {@code delay}; returns false, sooner, if a stop is requested or the fence expires
   * meanwhile.
   */
  private boolean sleepUnlessStopped(Duration delay) {
    Instant end = time.now().plus(delay);
    while (time.now().isBefore(end)) {
      if (run.stopRequested() || fenceExpired()) {
        return false;
      }
      time.sleep(POLL_INTERVAL);
    }
    return true;
  }

  private String now() {
    return time.now().toString();
  }
}
