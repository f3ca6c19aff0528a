package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOptions;
import dev.cryo.criu.NetworkLock;
import dev.cryo.criu.NotifyHook;
import dev.cryo.criu.NotifyListener;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.Manifest;
import dev.cryo.images.NameTakenException;
import dev.cryo.images.PageCompression;
import dev.cryo.images.StagedCheckpoint;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.linux.HostFacts;
import dev.cryo.participants.ParticipantException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One checkpoint of one process tree, taken phase by phase, so that a caller can do its own work
 * between the phases: a migration restores on another host before the original is told how the
 * checkpoint ended; a group checkpoint prepares every tree before it dumps any. The phases, in
 * order:
 *
 * <ol>
 *   <li>{@link #stage}: a private directory for the images, and the participants found;
 *   <li>{@link #prepareParticipants}: each participant told {@code pending}, and ready;
 *   <li>{@link #dump}: CRIU freezes the tree and writes its images; without {@code leaveRunning}
 *       the tree ends here, its images made durable while it was still frozen;
 *   <li>{@link #store}: the images compressed if asked, and the manifest drawn up;
 *   <li>{@link #publish}: the checkpoint made visible, in one rename;
 *   <li>{@link #resume}: a tree left running, and its participants, carry on.
 * </ol>
 *
 * <p>A phase that fails leaves the attempt where it was. {@link #abort} then carries out what
 * {@link Aftermath#decide} decides in one place (what is kept, who is told), and returns what to
 * report. {@link #close} ends the attempt whatever happened; one closed before it was published or
 * aborted is aborted. {@link CheckpointService#checkpoint} runs every phase.
 */
public final class CheckpointAttempt implements AutoCloseable {
  static final String DUMP_LOG = "dump.log";

  /** How far an attempt got: each phase moves it one step. */
  public enum Progress {
    BEGUN,
    STAGED,
    PREPARED,
    DUMPED,
    STORED,
    PUBLISHED,
    ABORTED
  }

  /**
   * The participants made ready.
   *
   * @param participantPids the processes told {@code pending}, which all answered ready
   * @param listeners what the tree did with its listening sockets when told
   */
  public record Prepared(List<Integer> participantPids, CheckpointResult.Listeners listeners) {}

  /**
   * The tree's images taken.
   *
   * @param dumpTime from freezing the tree to CRIU's answer
   * @param frozenTree the processes as CRIU froze them
   * @param treeEnded whether the dump ended the tree, leaving its images as the only copy of it
   */
  public record Dumped(Duration dumpTime, List<Integer> frozenTree, boolean treeEnded) {}

  /** The images ready to publish: compressed if asked, with the sizes before and after. */
  public record Stored(Optional<PageCompression.Sizes> compression) {}

  private final ImageStore imageStore;
  private final ProcessTable processes;
  private final TimeSource clock;
  private final Consumer<String> notices;
  private final CheckpointRequest request;
  private final Criu criu;
  private final String criuVersion;
  private final ProcessTable.TreeRoot root;
  private final List<Integer> treeBefore;
  private final boolean shellJob;
  private final Instant createdAt;
  private final long startNanos;

  /** The inode of the existing network namespace the tree runs in, if the request names one. */
  private final OptionalLong externalNetwork;

  private Progress progress = Progress.BEGUN;
  private StagedCheckpoint staged;
  private StuckDumpWatchdog watchdog;
  private CheckpointParticipants participants = CheckpointParticipants.NONE;
  private NewConnectionHold hold = NewConnectionHold.none();
  private CheckpointResult.Listeners listeners = CheckpointResult.Listeners.NONE;

  /**
   * The tree as CRIU froze it: children come and go until then (a shell's short-lived commands).
   */
  private final AtomicReference<List<Integer>> frozenTree;

  private Dumped dumped;
  private Stored stored;
  private StoredCheckpoint published;
  private boolean resumed;

  private CheckpointAttempt(
      ImageStore store,
      ProcessTable processes,
      TimeSource clock,
      Consumer<String> notices,
      CheckpointRequest request,
      Criu criu,
      String criuVersion,
      ProcessTable.TreeRoot root,
      List<Integer> treeBefore,
      Instant createdAt,
      long startNanos,
      OptionalLong externalNetwork) {
    this.imageStore = store;
    this.processes = processes;
    this.clock = clock;
    this.notices = notices;
    this.request = request;
    this.criu = criu;
    this.criuVersion = criuVersion;
    this.root = root;
    this.treeBefore = treeBefore;
    this.shellJob = root.isShellJob(treeBefore);
    this.frozenTree = new AtomicReference<>(treeBefore);
    this.createdAt = createdAt;
    this.startNanos = startNanos;
    this.externalNetwork = externalNetwork;
  }

  /**
   * Checks everything that can be checked before anything is touched: the process runs and is not
   * cryo's own, the name is free, CRIU is there and may read the tree's resource limits.
   */
  static CheckpointAttempt begin(
      CheckpointRequest request,
      Consumer<String> notices,
      ImageStore store,
      CriuSource criuSource,
      ProcessTable processes,
      TimeSource clock)
      throws ProcessNotFoundException, ImageStoreException, CriuException {
    long start = clock.nanoTime();
    int pid = request.pid();
    ProcessTable.TreeRoot root =
        processes
            .running(pid)
            .orElseThrow(
                () ->
                    new ProcessNotFoundException(
                        "no running process with PID "
                            + pid
                            + "; check the PID with 'ps -p "
                            + pid
                            + "'"));
    if (root.selfOrAncestor()) {
      throw new ProcessNotFoundException(
          "PID "
              + pid
              + " is cryo itself or one of its parents, which cannot "
              + "be checkpointed from inside; run cryo from outside that process tree");
    }
    store.checkNameAvailable(request.name());
    OptionalLong externalNetwork =
        request.network() == null
            ? OptionalLong.empty()
            : OptionalLong.of(ExternalNetwork.inodeForDump(pid, request.network()));
    Criu criu = criuSource.get();
    String criuVersion = criu.installedVersion().toString();
    List<Integer> treeBefore = processes.tree(pid);
    processes.requireResourceLimitsReadable(pid, treeBefore);
    return new CheckpointAttempt(
        store,
        processes,
        clock,
        notices,
        request,
        criu,
        criuVersion,
        root,
        treeBefore,
        clock.now(),
        start,
        externalNetwork);
  }

  public CheckpointRequest request() {
    return request;
  }

  public Progress progress() {
    return progress;
  }

  /**
   * Phase 1: a staging directory for the images, and the tree's participants (none for a plain
   * dump).
   */
  public StagedCheckpoint stage() throws ImageStoreException {
    expect(Progress.BEGUN, Progress.STAGED);
    staged = imageStore.stage(request.name());
    watchdog = processes.watchdogFor(treeBefore);
    if (request.tellParticipants()) {
      participants = processes.participantsIn(treeBefore, staged.id(), notices);
    }
    progress = Progress.STAGED;
    return staged;
  }

  /**
   * Phase 2: tells the participants {@code pending} and waits until each is ready. New connections
   * to the ports a participant closes meanwhile are held until it listens again ({@link
   * NewConnectionHold}).
   *
   * @throws ParticipantException when one refused or did not answer; those told have heard {@code
   *     aborted}
   */
  public Prepared prepareParticipants() throws ParticipantException {
    expect(Progress.STAGED, Progress.PREPARED);
    if (!participants.isEmpty()) {
      int pid = request.pid();
      // Told pending, a program may close its listeners until it is resumed: its new clients wait
      // meanwhile.
      Set<Integer> ports = request.leaveRunning() ? processes.listeningPorts(treeBefore) : Set.of();
      if (request.holdFromPending()) {
        hold = NewConnectionHold.engage(pid, ports, staged.id(), notices);
        hold.awaitArrivals();
        hold.holdRequests();
      }
      try {
        participants.prepare(request.participantTimeout());
      } finally {
        hold.releaseRequests();
      }
      Set<Integer> closed = new TreeSet<>(ports);
      closed.removeAll(processes.listeningPorts(processes.tree(pid)));
      if (!ports.isEmpty()) {
        listeners =
            closed.isEmpty()
                ? CheckpointResult.Listeners.KEPT_OPEN
                : CheckpointResult.Listeners.CLOSED;
      }
      if (hold.isEngaged()) {
        hold.keepOnly(closed);
      } else {
        hold = NewConnectionHold.engage(pid, closed, staged.id(), notices);
      }
    }
    progress = Progress.PREPARED;
    return new Prepared(participantPids(), listeners);
  }

  /**
   * Phase 3: CRIU freezes the tree and writes its images. Without {@code leaveRunning} the tree
   * ends when CRIU returns, so its images are made durable at CRIU's post-dump hook, while it is
   * still frozen: a failure there makes CRIU resume it rather than lose it.
   *
   * @throws CriuException when the dump failed; the tree runs on
   */
  public Dumped dump() throws CriuException {
    expect(Progress.PREPARED, Progress.DUMPED);
    boolean leaveRunning = request.leaveRunning();
    NotifyListener onFrozenTree =
        (hook, script, hookPid) -> {
          if (hook == NotifyHook.POST_DUMP) {
            watchdog.standDown();
            List<Integer> tree = processes.tree(request.pid());
            requireProgram(tree, request.programPid());
            frozenTree.set(tree);
            if (!leaveRunning) {
              imageStore.prepare(staged);
            }
          }
        };
    long dumpStart = clock.nanoTime();
    watchdog.start();
    try {
      criu.dump(dumpOptions(), onFrozenTree);
    } finally {
      watchdog.close();
    }
    dumped =
        new Dumped(Duration.ofNanos(clock.nanoTime() - dumpStart), frozenTree.get(), !leaveRunning);
    progress = Progress.DUMPED;
    return dumped;
  }

  /**
   * Phase 4, after CRIU has let the processes go on or has ended them, so that it never lengthens a
   * freeze: compresses the pages if asked, or leaves them as they are if that fails (the checkpoint
   * is stored either way, and a partly compressed one restores as well as a whole one).
   */
  public Stored store() {
    expect(Progress.DUMPED, Progress.STORED);
    Optional<PageCompression.Sizes> compression = Optional.empty();
    if (request.compress()) {
      try {
        compression = Optional.of(imageStore.compressPages(staged));
      } catch (ImageStoreException e) {
        notices.accept(e.getMessage() + "; the checkpoint is stored uncompressed");
      }
    }
    stored = new Stored(compression);
    progress = Progress.STORED;
    return stored;
  }

  /**
   * Phase 5: makes the checkpoint visible. If the dump ended the tree and another checkpoint took
   * the name meanwhile, it is published under its id alone rather than lost.
   */
  public StoredCheckpoint publish() throws ImageStoreException {
    expect(Progress.STORED, Progress.PUBLISHED);
    Manifest draft =
        new Manifest(
            Manifest.FORMAT,
            null,
            request.name(),
            timestamp(createdAt),
            new Manifest.Host(
                HostFacts.hostname(), HostFacts.kernel(), criuVersion, HostFacts.cpuFlags()),
            new Manifest.Source(
                request.pid(),
                frozenTree.get(),
                root.command(),
                shellJob,
                true,
                request.leaveRunning(),
                participants.manifestEntries(),
                root.pidNamespaceInit(),
                request.run()),
            0,
            List.of());
    try {
      published = imageStore.publish(staged, draft);
    } catch (NameTakenException e) {
      if (!dumped.treeEnded()) {
        throw e;
      }
      published = imageStore.publish(staged.withoutName(), draft);
    }
    progress = Progress.PUBLISHED;
    return published;
  }

  /**
   * Phase 6, once the images are taken (after {@link #dump}, or only after {@link #publish} for a
   * tree that should hear of its checkpoint only once it is safely stored): tells the participants
   * of a tree left running that they carry on, and lets go of held connections once the program
   * listens again. Nothing to do for a tree the dump ended. Only the first call does anything.
   */
  public void resume() {
    if (dumped == null || progress == Progress.ABORTED) {
      throw new IllegalStateException(
          "a checkpoint resumes its tree once dumped, not when " + progress);
    }
    if (resumed) {
      return;
    }
    resumed = true;
    if (request.leaveRunning()) {
      participants.resumed();
      hold.close();
    }
  }

  /** The outcome of a published attempt, timed until now. */
  public CheckpointResult result() {
    if (progress != Progress.PUBLISHED) {
      throw new IllegalStateException(
          "a checkpoint has a result once published, not when " + progress);
    }
    return new CheckpointResult(
        published,
        dumped.dumpTime(),
        Duration.ofNanos(clock.nanoTime() - startNanos),
        participantPids(),
        stored.compression(),
        listeners);
  }

  /**
   * Ends an attempt that failed with {@code error}, and returns what to report: the error itself or
   * one that says better what happened. What is kept and who is told is decided by {@link
   * Aftermath#decide}.
   */
  public Exception abort(Exception error) {
    if (progress == Progress.ABORTED || progress == Progress.PUBLISHED) {
      throw new IllegalStateException(
          "a checkpoint that is " + progress + " cannot be aborted", error);
    }
    Aftermath aftermath = aftermath(error);
    progress = Progress.ABORTED;
    Optional<Path> log =
        aftermath.keepDumpLog() ? imageStore.keepLog(staged, DUMP_LOG) : Optional.empty();
    if (aftermath.releaseNetworkLock()) {
      // A killed CRIU unlocks nothing: release its connections' lock if its images name it.
      NetworkLocks.tableOf(staged.imagesDir()).ifPresent(NetworkLocks::release);
    }
    Path keptImages =
        switch (aftermath.images()) {
          case NONE -> null;
          case DISCARD -> {
            discardQuietly(staged);
            yield null;
          }
          case KEEP_UNPUBLISHED -> imageStore.keepUnpublished(staged);
        };
    aftermath.abortReason().ifPresent(participants::abort);
    return aftermath.report().exception(log, keptImages);
  }

  /**
   * Releases what the attempt still holds: connections held for a program that closed its listeners
   * are let go once it listens again. An attempt neither published nor aborted yet is aborted
   * first.
   */
  @Override
  public void close() {
    try {
      if (staged != null && progress != Progress.PUBLISHED && progress != Progress.ABORTED) {
        abort(new IllegalStateException("the checkpoint was closed before it was published"));
      }
    } finally {
      // After an abort too: the program reopens what it closed, and its clients wait until then.
      hold.close();
    }
  }

  /**
   * What this attempt leaves behind if it ends with {@code error} now (see {@link
   * Aftermath#decide}).
   */
  Aftermath aftermath(Exception error) {
    return Aftermath.decide(
        error,
        staged != null,
        dumped != null && dumped.treeEnded(),
        watchdog == null ? OptionalInt.empty() : watchdog.abandonedFor(),
        () ->
            IntStream.of(request.programPid(), request.pid())
                .filter(p -> p > 0 && !processes.isRunning(p))
                .findFirst());
  }

  private void expect(Progress from, Progress to) {
    if (progress != from) {
      throw new IllegalStateException(
          "a checkpoint goes from " + from + " to " + to + ", not from " + progress);
    }
  }

  private List<Integer> participantPids() {
    return participants.manifestEntries().stream().map(Manifest.Participant::pid).toList();
  }

  /**
   * Refuses a dump from which the program it is for is missing: one that ended, or left the tree,
   * after the checkpoint was asked for but before CRIU froze the tree. CRIU dumps whatever is left
   * (a namespace's init alone, or the program as a zombie), which would restore as a program that
   * has already ended. Called at the post-dump hook, while the tree is frozen, so that CRIU drops
   * the images and lets the rest of the tree go on. Other processes of the tree may come and go: a
   * checkpoint without a short-lived child is the tree as it was.
   */
  private void requireProgram(List<Integer> frozenTree, int programPid)
      throws ProcessNotFoundException {
    if (programPid <= 0) {
      return;
    }
    boolean running = processes.isRunning(programPid);
    if (!running || !frozenTree.contains(programPid)) {
      String what = running ? "left the process tree" : "ended";
      throw new ProcessNotFoundException(
          "PID "
              + programPid
              + " "
              + what
              + " during the checkpoint, before CRIU froze it; nothing was stored");
    }
  }

  private CriuOptions dumpOptions() {
    CriuOptions.Builder options = CriuOptions.builder();
    externalNetwork.ifPresent(inode -> ExternalNetwork.declareForDump(options, inode));
    return options
        .imagesDir(staged.imagesDir())
        .workDir(staged.directory())
        .logFile(DUMP_LOG)
        .pid(request.pid())
        .leaveRunning(request.leaveRunning())
        .tcpEstablished(true)
        // A busy listener always has connections waiting to be accepted: they stay out of the image
        // (docs/run.md says what their clients see) rather than fail the checkpoint.
        .tcpSkipInFlight(true)
        .fileLocks(true)
        .shellJob(shellJob)
        .networkLock(NetworkLock.NFTABLES)
        .build();
  }

  private static void discardQuietly(StagedCheckpoint staged) {
    try {
      staged.discard();
    } catch (IOException ignored) {
      // Left in staging, never listed; the next checkpoint clears it.
    }
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.atOffset(ZoneOffset.UTC));
  }
}
