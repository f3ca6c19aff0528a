package dev.cryo.checkpoint;

import dev.cryo.linux.PrivateFiles;
import dev.cryo.participants.ParticipantException;
import dev.cryo.criu.CriuClient;
import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.CriuOptions;
import dev.cryo.criu.NetworkLock;
import dev.cryo.criu.NotifyHook;
import dev.cryo.criu.NotifyListener;
import dev.cryo.linux.HostFacts;
import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.TcpSockets;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.Manifest;
import dev.cryo.images.PageCompression;
import dev.cryo.images.NameTakenException;
import dev.cryo.images.StagedCheckpoint;
import dev.cryo.images.StoreException;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Checkpoints a process tree into the image store and restores it from there, with the checks
 * that keep both sides safe: nothing is dumped into a store that cannot take it, a failed
 * checkpoint leaves the process running, a checkpoint is visible only once complete, and a
 * restore refuses images that fail verification or whose PIDs are taken.
 */
public final class CheckpointService {
  /** How long a restore waits for a dead original's PIDs to be reaped by its parent. */
  private static final Duration ZOMBIE_GRACE = Duration.ofSeconds(5);
  private static final String DUMP_LOG = "dump.log";

  private final ImageStore store;
  private final CriuSource criuSource;

  public CheckpointService(ImageStore store, CriuSource criuSource) {
    this.store = store;
    this.criuSource = criuSource;
  }

  /**
   * Checkpoints the tree rooted at {@code pid}. Without {@code leaveRunning} the tree is killed
   * once the checkpoint is safely stored; if storing fails, CRIU resumes it instead.
   */
  public CheckpointResult checkpoint(CheckpointRequest request, Consumer<String> notices)
      throws ProcessNotFoundException, StoreException, CriuException, ParticipantException {
    int pid = request.pid();
    String name = request.name();
    boolean leaveRunning = request.leaveRunning();
    long start = System.nanoTime();
    LinuxProcess process = LinuxProcess.of(pid).filter(p -> !p.isZombie()).orElseThrow(() ->
        new ProcessNotFoundException("no running process with PID " + pid + "; check the PID with 'ps -p " + pid + "'"));
    if (process.isSelfOrAncestor()) {
      throw new ProcessNotFoundException("PID " + pid + " is cryo itself or one of its parents, which cannot "
          + "be checkpointed from inside; run cryo from outside that process tree");
    }
    store.checkNameAvailable(name);
    CriuClient criu = criuSource.get();
    String criuVersion = criu.installedVersion().toString();
    List<Integer> treeBefore = process.tree();
    ResourceLimitAccess.requireFor(pid, treeBefore);
    boolean shellJob = process.isShellJob(treeBefore);
    // The tree as CRIU froze it: children come and go until then (a shell's short-lived commands).
    AtomicReference<List<Integer>> frozenTree = new AtomicReference<>(treeBefore);
    Instant createdAt = Instant.now();

    StagedCheckpoint staged = store.stage(name);
    boolean processEnded = false;
    StuckDumpWatchdog watchdog = StuckDumpWatchdog.of(treeBefore);
    Participants coordinated = request.coordinate()
        ? Participants.in(treeBefore, staged.id(), notices)
        : Participants.none(staged.id(), notices);
    NewConnectionHold hold = NewConnectionHold.none();
    CheckpointResult.Listeners listeners = CheckpointResult.Listeners.NONE;
    try {
      if (!coordinated.isEmpty()) {
        // Told pending, a program may close its listeners until it is resumed: its new clients wait meanwhile.
        Set<Integer> ports = leaveRunning ? TcpSockets.listeningPorts(treeBefore) : Set.of();
        if (request.holdFromPending()) {
          hold = NewConnectionHold.engage(pid, ports, staged.id(), notices);
          hold.awaitArrivals();
          hold.holdRequests();
        }
        try {
          coordinated.prepare(request.coordinationTimeout());
        } finally {
          hold.releaseRequests();
        }
        Set<Integer> closed = new TreeSet<>(ports);
        closed.removeAll(TcpSockets.listeningPorts(process.tree()));
        if (!ports.isEmpty()) {
          listeners = closed.isEmpty() ? CheckpointResult.Listeners.KEPT_OPEN : CheckpointResult.Listeners.CLOSED;
        }
        if (hold.isEngaged()) {
          hold.keepOnly(closed);
        } else {
          hold = NewConnectionHold.engage(pid, closed, staged.id(), notices);
        }
      }
      CriuOptions options = dumpOptions(staged, pid, shellJob, leaveRunning);
      long dumpStart = System.nanoTime();
      NotifyListener onFrozenTree = (hook, script, hookPid) -> {
        if (hook == NotifyHook.POST_DUMP) {
          watchdog.standDown();
          List<Integer> tree = process.tree();
          requireProgram(tree, request.programPid());
          frozenTree.set(tree);
          // Without leave-running the tree dies when CRIU returns: store the images while it is
          // still frozen, where a failure makes CRIU resume it rather than lose it.
          if (!leaveRunning) {
            store.prepare(staged);
          }
        }
      };
      watchdog.start();
      try {
        criu.dump(options, onFrozenTree);
      } finally {
        watchdog.close();
      }
      processEnded = !leaveRunning;
      Duration dumpTime = Duration.ofNanos(System.nanoTime() - dumpStart);
      if (leaveRunning && request.resumeBeforeStoring()) {
        // The images are taken: the processes carry on at once, not after checksums and publication.
        coordinated.resumed();
        hold.close();
      }
      // After CRIU has let the processes go on, or has ended them: compression never lengthens a freeze.
      PageCompression.Sizes compression = request.compress() ? compressOrKeep(staged, notices) : null;
      Manifest draft = new Manifest(Manifest.FORMAT, null, name, timestamp(createdAt),
          new Manifest.Host(HostFacts.hostname(), HostFacts.kernel(), criuVersion, HostFacts.cpuFlags()),
          new Manifest.Source(pid, frozenTree.get(), process.command(), shellJob, true, leaveRunning,
              coordinated.manifestEntries(), process.isPidNamespaceInit(), request.run()), 0, List.of());
      StoredCheckpoint stored = publishOnce(staged, draft, processEnded);
      if (leaveRunning && !request.resumeBeforeStoring()) {
        coordinated.resumed();
        hold.close();
      }
      return new CheckpointResult(stored, dumpTime, Duration.ofNanos(System.nanoTime() - start),
          coordinated.manifestEntries().stream().map(Manifest.Participant::pid).toList(),
          Optional.ofNullable(compression), listeners);
    } catch (ParticipantException e) {
      discardQuietly(staged);
      throw e;
    } catch (CriuOperationException e) {
      OptionalInt abandoned = watchdog.abandonedFor();
      // The post-dump hook's refusal: the dump was fine, the program was not in it.
      ProcessNotFoundException refused = abandoned.isPresent() ? null : Problems.cause(e, ProcessNotFoundException.class);
      Optional<Path> log = refused != null ? Optional.empty() : store.keepLog(staged, DUMP_LOG);
      if (abandoned.isPresent()) {
        // A killed CRIU unlocks nothing: release its connections' lock if its images name it.
        NetworkLocks.tableOf(staged.imagesDir()).ifPresent(NetworkLocks::release);
      }
      discardQuietly(staged);
      coordinated.abort("the dump failed: " + e.getMessage());
      if (abandoned.isPresent()) {
        throw new ProcessNotFoundException("PID " + abandoned.getAsInt() + " ended during the checkpoint and CRIU "
            + "did not let go of it within " + StuckDumpWatchdog.GRACE.toSeconds() + " s, so CRIU was stopped; "
            + "nothing was stored, and the rest of the tree may need a restart"
            + log.map(l -> " (CRIU's log: " + l + ")").orElse(""));
      }
      if (refused != null) {
        throw refused;
      }
      // CRIU's own error for a tree whose program died under it says little (a failed lock rule, a
      // vanished task): the ending is the cause.
      OptionalInt gone = IntStream.of(request.programPid(), pid).filter(p -> p > 0 && !LinuxProcess.isRunning(p)).findFirst();
      if (gone.isPresent()) {
        throw new ProcessNotFoundException("PID " + gone.getAsInt() + " ended during the checkpoint; nothing was stored");
      }
      throw log.map(e::withLogFile).orElse(e);
    } catch (StoreException e) {
      if (!processEnded || leaveRunning) {
        coordinated.abort("the checkpoint could not be stored: " + e.getMessage());
      }
      if (processEnded) {
        // The images are the only copy of the process now: keep them whatever happens.
        Path kept = store.keepUnpublished(staged);
        throw new StoreException("the process was ended after its dump but the checkpoint could not be published: "
            + e.getMessage() + "; its images are kept in " + kept, e);
      }
      discardQuietly(staged);
      throw e;
    } catch (CriuException | RuntimeException e) {
      if (processEnded) {
        // As above: after the dump ended the process, its images are all that is left of it.
        Path kept = store.keepUnpublished(staged);
        throw new StoreException("the process was ended after its dump but the checkpoint could not be published: "
            + e.getMessage() + "; its images are kept in " + kept, e);
      }
      discardQuietly(staged);
      coordinated.abort("the checkpoint failed: " + e.getMessage());
      throw e;
    } finally {
      // After an abort too: the program reopens what it closed, and its clients wait until then.
      hold.close();
    }
  }

  /**
   * Compresses the staged pages, or leaves them as they are if that fails: the checkpoint is
   * stored either way, and a partly compressed one restores as well as a whole one.
   */
  private PageCompression.Sizes compressOrKeep(StagedCheckpoint staged, Consumer<String> notices) {
    try {
      return store.compressPages(staged);
    } catch (StoreException e) {
      notices.accept(e.getMessage() + "; the checkpoint is stored uncompressed");
      return null;
    }
  }

  /**
   * Publishes a checkpoint. If its process has already ended and another checkpoint took the
   * name meanwhile, it is published under its id alone rather than lost.
   */
  private StoredCheckpoint publishOnce(StagedCheckpoint staged, Manifest draft, boolean processEnded)
      throws StoreException {
    try {
      return store.publish(staged, draft);
    } catch (NameTakenException e) {
      if (!processEnded) {
        throw e;
      }
      return store.publish(staged.withoutName(), draft);
    }
  }

  /**
   * Refuses a dump from which the program it is for is missing: one that ended, or left the tree,
   * after the checkpoint was asked for but before CRIU froze the tree. CRIU dumps whatever is
   * left (a namespace's init alone, or the program as a zombie), which would restore as a program
   * that has already ended. Called at the post-dump hook, while the tree is frozen, so that CRIU
   * drops the images and lets the rest of the tree go on. Other processes of the tree may come
   * and go: a checkpoint without a short-lived child is the tree as it was.
   */
  private static void requireProgram(List<Integer> frozenTree, int programPid) throws ProcessNotFoundException {
    if (programPid <= 0) {
      return;
    }
    if (!LinuxProcess.isRunning(programPid)) {
      throw new ProcessNotFoundException("PID " + programPid + " ended during the checkpoint, before CRIU froze it; "
          + "nothing was stored");
    }
    if (!frozenTree.contains(programPid)) {
      throw new ProcessNotFoundException("PID " + programPid + " left the process tree during the checkpoint, "
          + "before CRIU froze it; nothing was stored");
    }
  }

  private static CriuOptions dumpOptions(StagedCheckpoint staged, int pid, boolean shellJob, boolean leaveRunning) {
    return CriuOptions.builder()
        .imagesDir(staged.imagesDir())
        .workDir(staged.directory())
        .logFile(DUMP_LOG)
        .pid(pid)
        .leaveRunning(leaveRunning)
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

  /**
   * Restores a checkpoint after verifying every file and checking that its PIDs are free, and
   * passes the restored participants {@code restoreOptions}. The restored tree runs detached from
   * this process. A tree that had its own PID namespace gets a new one, so none of its old PIDs
   * need to be free.
   */
  public RestoreResult restore(StoredCheckpoint checkpoint, RestoreOptions restoreOptions, Consumer<String> notices)
      throws StoreException, PidInUseException, CriuException {
    if (restoreOptions.lazyPages() && checkpoint.compressed()) {
      throw new IllegalArgumentException("checkpoint " + checkpoint.label() + " is compressed, and lazy pages are "
          + "read from uncompressed page images; restore it without lazy pages");
    }
    // Finding CRIU starts a process: let it run while the images are read.
    CompletableFuture<CriuClient> criuLookup = CompletableFuture.supplyAsync(() -> {
      try {
        return criuSource.get();
      } catch (CriuException e) {
        throw new CompletionException(e);
      }
    });
    long verifyStart = System.nanoTime();
    CompletableFuture<List<String>> pageCheck = null;
    if (restoreOptions.lazyPages()) {
      // Reading every page first is what a lazy restore avoids: the pages are checked while the
      // processes start, and the restore is undone if they do not match.
      List<String> problems = store.verifyAllButPageContents(checkpoint);
      if (!problems.isEmpty()) {
        throw new CorruptCheckpointException(checkpoint.label(), problems);
      }
      pageCheck = CompletableFuture.supplyAsync(() -> {
        try {
          return store.verifyPageContents(checkpoint);
        } catch (StoreException e) {
          throw new CompletionException(e);
        }
      });
    } else {
      store.requireIntact(checkpoint);
    }
    Duration verifyTime = Duration.ofNanos(System.nanoTime() - verifyStart);
    if (!checkpoint.manifest().source().pidNamespace()) {
      requirePidsFree(checkpoint);
    }
    CriuClient criu = join(criuLookup);

    Manifest.Source source = checkpoint.manifest().source();
    long restoreStart = System.nanoTime();
    Path images = store.restorable(checkpoint);
    Optional<ProcessHandle> lazyPagesDaemon = Optional.empty();
    boolean restored = false;
    try {
      String logName = "restore-" + checkpoint.id() + "-" + System.currentTimeMillis() + ".log";
      Path workDir = store.logsDir();
      if (restoreOptions.lazyPages()) {
        // The daemon and the restore meet at a socket of a fixed name in their work directory.
        workDir = privateDirectory(store.logsDir().resolve(logName.substring(0, logName.length() - ".log".length())));
        logName = "restore.log";
        lazyPagesDaemon = Optional.of(criu.startLazyPagesDaemon(images, workDir));
      }
      CriuOptions.Builder criuBuilder = CriuOptions.builder()
          .imagesDir(images)
          .workDir(workDir)
          .logFile(logName)
          .lazyPages(restoreOptions.lazyPages())
          .tcpEstablished(source.tcpEstablished())
          .fileLocks(true)
          .shellJob(source.shellJob())
          .networkLock(NetworkLock.NFTABLES);
      restoreOptions.substitutedFiles().forEach(criuBuilder::substituteFile);
      CriuOptions criuOptions = criuBuilder.build();
      // Only sockets that the restored copy will move away from can belong to a live original.
      Path controlDir = restoreOptions.controlDir() == null ? null
          : restoreOptions.controlDir().toAbsolutePath().normalize();
      List<Path> recordedSockets = controlDir == null || !restoreOptions.besideOriginal() ? List.of()
          : source.coordinated().stream().map(p -> Path.of(p.controlSocket()))
              .filter(socket -> !controlDir.equals(socket.getParent())).toList();
      int pid;
      Duration restoreTime;
      try (SocketFilesAside aside = SocketFilesAside.of(recordedSockets)) {
        pid = criu.restore(criuOptions, NotifyListener.NONE);
        restored = true;
        restoreTime = Duration.ofNanos(System.nanoTime() - restoreStart);
        Participants.restored(pid, source, notices).restored(restoreOptions);
        if (pageCheck != null) {
          requirePagesIntact(checkpoint, pageCheck, pid, lazyPagesDaemon);
        }
      } catch (IOException e) {
        throw new StoreException("cannot set the original's control sockets aside for the restore: " + e.getMessage(),
            e);
      }
      return new RestoreResult(pid, checkpoint, verifyTime, restoreTime, criuOptions.logPath().orElseThrow());
    } finally {
      if (!restored) {
        // Nothing will ever connect to it: it would wait forever.
        lazyPagesDaemon.ifPresent(ProcessHandle::destroyForcibly);
      }
      // CRIU has read every expanded page by the time it returns (lazy pages never expand: see above).
      store.release(checkpoint, images);
    }
  }

  /**
   * Waits for the check of a lazily restored checkpoint's pages; if they do not match, stops the
   * restored processes, which may have read them already, and the daemon that serves them.
   */
  private static void requirePagesIntact(StoredCheckpoint checkpoint, CompletableFuture<List<String>> pageCheck,
      int pid, Optional<ProcessHandle> lazyPagesDaemon) throws StoreException {
    List<String> problems;
    try {
      problems = pageCheck.join();
    } catch (CompletionException e) {
      problems = List.of("its page images could not be read: " + e.getCause().getMessage());
    }
    if (problems.isEmpty()) {
      return;
    }
    ProcessHandle.of(pid).ifPresent(root -> {
      root.descendants().forEach(ProcessHandle::destroyForcibly);
      root.destroyForcibly();
    });
    lazyPagesDaemon.ifPresent(ProcessHandle::destroyForcibly);
    List<String> reported = new ArrayList<>(problems);
    reported.set(0, problems.get(0) + " (found while PID " + pid + " ran from it lazily; it was stopped)");
    throw new CorruptCheckpointException(checkpoint.label(), reported);
  }

  private static CriuClient join(CompletableFuture<CriuClient> lookup) throws CriuException {
    try {
      return lookup.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CriuException criu) {
        throw criu;
      }
      throw e;
    }
  }

  private static Path privateDirectory(Path dir) throws StoreException {
    try {
      return PrivateFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a checkpoint, and releases the network lock CRIU still holds for it if its tree was
   * ended by the dump and never restored: nothing can restore it any more.
   */
  public StoredCheckpoint delete(String reference) throws StoreException {
    StoredCheckpoint checkpoint = store.resolve(reference);
    Optional<String> lockTable = NetworkLocks.tableOf(checkpoint.imagesDir());
    store.delete(checkpoint);
    lockTable.ifPresent(NetworkLocks::release);
    return checkpoint;
  }

  private static void requirePidsFree(StoredCheckpoint checkpoint) throws PidInUseException {
    List<Integer> pids = checkpoint.manifest().source().pids();
    long deadline = System.nanoTime() + ZOMBIE_GRACE.toNanos();
    for (int pid : pids.isEmpty() ? List.of(checkpoint.manifest().source().pid()) : pids) {
      Optional<LinuxProcess> holder = LinuxProcess.of(pid);
      while (holder.isPresent() && holder.get().isZombie() && System.nanoTime() < deadline) {
        sleepBriefly();
        holder = LinuxProcess.of(pid);
      }
      if (holder.isPresent()) {
        throw new PidInUseException(pid, "PID " + pid + ", which checkpoint " + checkpoint.label()
            + " must restore into, is in use by '" + holder.get().name() + "'"
            + (holder.get().isZombie() ? " (exited, not yet reaped by its parent)" : "")
            + "; stop that process first, or restore where PID " + pid + " is free");
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.atOffset(ZoneOffset.UTC));
  }
}
