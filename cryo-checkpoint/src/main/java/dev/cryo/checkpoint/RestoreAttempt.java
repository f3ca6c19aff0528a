package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuImages;
import dev.cryo.criu.CriuOptions;
import dev.cryo.criu.NetworkLock;
import dev.cryo.criu.NotifyListener;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One restore of a checkpoint, in its phases: {@link #verify} the images against their manifest,
 * {@link #requirePidsFree} where the tree needs its old PIDs back, then {@link #restore} with CRIU,
 * which also tells the restored participants. A restore that fails leaves the checkpoint as it was.
 */
final class RestoreAttempt {
  /** How long a restore waits for a dead original's PIDs to be reaped by its parent. */
  static final Duration ZOMBIE_GRACE = Duration.ofSeconds(5);

  private static final Duration ZOMBIE_POLL = Duration.ofMillis(50);

  private final ImageStore store;
  private final ProcessTable processes;
  private final TimeSource clock;
  private final StoredCheckpoint checkpoint;
  private final RestoreOptions options;
  private final Consumer<String> notices;
  private final CompletableFuture<Criu> criuLookup;
  private volatile Duration verifyTime;

  /** For a lazy restore: the check of the page images, which runs while the processes start. */
  private CompletableFuture<List<String>> pageCheck;

  /** For any other: the check of every file, which runs while CRIU restores the tree stopped. */
  private CompletableFuture<List<String>> fullCheck;

  RestoreAttempt(
      ImageStore store,
      CriuSource criuSource,
      ProcessTable processes,
      TimeSource clock,
      StoredCheckpoint checkpoint,
      RestoreOptions options,
      Consumer<String> notices) {
    if (options.lazyPages() && checkpoint.compressed()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint.label()
              + " is compressed, and lazy pages are "
              + "read from uncompressed page images; restore it without lazy pages");
    }
    this.store = store;
    this.processes = processes;
    this.clock = clock;
    this.checkpoint = checkpoint;
    this.options = options;
    this.notices = notices;
    // Finding CRIU starts a process: let it run while the images are read.
    this.criuLookup =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return criuSource.get();
              } catch (CriuException e) {
                throw new CompletionException(e);
              }
            });
  }

  /**
   * Starts checking every file against the manifest, in the background: a restore runs CRIU
   * meanwhile, with the processes left stopped until the check has passed, so the program never
   * runs on images that failed it. A lazy restore checks all but the pages' contents first, and
   * those while the processes run, since reading every page first is what it avoids; it stops them
   * if they fail.
   *
   * @throws CorruptCheckpointException naming what does not match, for what is checked first
   */
  void verify() throws ImageStoreException {
    long start = clock.nanoTime();
    if (options.lazyPages()) {
      List<String> problems = store.verifyAllButPageContents(checkpoint);
      if (!problems.isEmpty()) {
        throw new CorruptCheckpointException(checkpoint.label(), problems);
      }
      verifyTime = Duration.ofNanos(clock.nanoTime() - start);
      pageCheck = inBackground(() -> store.verifyPageContents(checkpoint), null);
    } else {
      fullCheck = inBackground(() -> problemsOf(checkpoint), start);
    }
  }

  /** What a full check of the checkpoint finds; nothing if it is intact. */
  private List<String> problemsOf(StoredCheckpoint checkpoint) throws ImageStoreException {
    try {
      store.requireIntact(checkpoint);
      return List.of();
    } catch (CorruptCheckpointException e) {
      return e.problems();
    }
  }

  /** A check of the images run on another thread; timed from {@code start} if given. */
  private CompletableFuture<List<String>> inBackground(ImageCheck check, Long start) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return check.problems();
          } catch (ImageStoreException e) {
            throw new CompletionException(e);
          } finally {
            if (start != null) {
              verifyTime = Duration.ofNanos(clock.nanoTime() - start);
            }
          }
        });
  }

  /** One of the checks of a checkpoint's files. */
  private interface ImageCheck {
    List<String> problems() throws ImageStoreException;
  }

  /**
   * Refuses a restore into PIDs that other processes hold, after waiting briefly for a dead
   * original's to be reaped. A tree that had its own PID namespace gets a new one, so none of its
   * old PIDs need to be free.
   */
  void requirePidsFree() throws PidInUseException {
    Manifest.Source source = checkpoint.manifest().source();
    if (source.pidNamespace()) {
      return;
    }
    List<Integer> pids = source.pids();
    long deadline = clock.nanoTime() + ZOMBIE_GRACE.toNanos();
    for (int pid : pids.isEmpty() ? List.of(source.pid()) : pids) {
      Optional<ProcessTable.PidHolder> holder = processes.holderOf(pid);
      while (holder.isPresent() && holder.get().zombie() && clock.nanoTime() < deadline) {
        clock.sleep(ZOMBIE_POLL);
        holder = processes.holderOf(pid);
      }
      if (holder.isPresent()) {
        throw new PidInUseException(
            pid,
            "PID "
                + pid
                + ", which checkpoint "
                + checkpoint.label()
                + " must restore into, is in use by '"
                + holder.get().name()
                + "'"
                + (holder.get().zombie() ? " (exited, not yet reaped by its parent)" : "")
                + "; stop that process first, or restore where PID "
                + pid
                + " is free");
      }
    }
  }

  /**
   * Restores the tree with CRIU and tells its participants they were restored. The restored tree
   * runs detached from this process. Unless its pages come lazily, CRIU restores it stopped while
   * its images are verified, and it is continued once they have passed.
   */
  RestoreResult restore() throws ImageStoreException, CriuException {
    if (options.lazyPages()) {
      return restoreLazily();
    }
    Restored restored = runCriu(false);
    return new RestoreResult(
        restored.pid(),
        checkpoint,
        verifyTime,
        restored.restoreTime(),
        restored.log(),
        CriuImages.restoreStats(store.logsDir()).orElse(null));
  }

  /**
   * Restores the tree as a standby: stopped, its TCP connections closed, its participants not yet
   * told, and its control sockets parked beside those of an original that may still run.
   */
  Standby prepare() throws ImageStoreException, CriuException {
    Standby standby = runCriu(true).standbyWithParkedSockets();
    standby.findParticipants();
    return standby;
  }

  /** What CRIU restored, stopped. */
  private record Restored(
      int pid, Duration restoreTime, Path log, Map<Path, Path> parked, RestoreAttempt attempt) {
    Standby standby(Map<Path, Path> parkedSockets) {
      return new Standby(
          attempt.processes,
          pid,
          attempt.checkpoint,
          attempt.options,
          parkedSockets,
          attempt.fullCheck,
          restoreTime,
          attempt.notices);
    }

    Standby standbyWithParkedSockets() {
      return standby(parked);
    }
  }

  /**
   * Runs CRIU's restore, leaving the tree stopped, and unless it is a standby, lets it run once
   * verified, telling its participants, before the original's control sockets are put back. For a
   * standby, every participant's control socket is set aside while CRIU binds the standby's, whose
   * files are then parked under names of their own; otherwise only those of an original that may
   * still run are (see {@link #originalsSockets}). If CRIU fails on images that the verification
   * finds corrupt, the corruption is what is reported.
   */
  private Restored runCriu(boolean standby) throws ImageStoreException, CriuException {
    Criu criu = join(criuLookup);
    Manifest.Source source = checkpoint.manifest().source();
    long restoreStart = clock.nanoTime();
    Path images = store.restorable(checkpoint);
    try {
      CriuOptions.Builder criuBuilder =
          criuOptions(images, store.logsDir(), logName(), source).leaveStopped(true);
      if (standby) {
        criuBuilder.tcpEstablished(false).tcpClose(true);
      }
      CriuOptions criuOptions = criuBuilder.build();
      List<Path> aside =
          standby
              ? source.participants().stream().map(p -> Path.of(p.controlSocket())).toList()
              : originalsSockets(source);
      forgetEarlierStatistics();
      try (SocketFilesAside originals = SocketFilesAside.of(aside)) {
        int pid;
        try {
          pid = criu.restore(criuOptions, NotifyListener.NONE);
        } catch (CriuException e) {
          requireIntactAfterFailure();
          throw e;
        }
        Duration restoreTime = Duration.ofNanos(clock.nanoTime() - restoreStart);
        Map<Path, Path> parked = standby ? originals.park(".standby-" + pid) : Map.of();
        Restored restored =
            new Restored(pid, restoreTime, criuOptions.logPath().orElseThrow(), parked, this);
        if (!standby) {
          // While the original's sockets are still aside: the copy must hear `restored` on its own.
          resume(restored.standby(Map.of()));
        }
        return restored;
      } catch (IOException e) {
        throw new ImageStoreException(
            "cannot set the original's control sockets aside for the restore: " + e.getMessage(),
            e);
      }
    } finally {
      // CRIU has read every expanded page by the time it returns.
      store.release(checkpoint, images);
    }
  }

  /** Lets a tree that CRIU restored stopped run, once its images have passed their check. */
  private static void resume(Standby restored) throws ImageStoreException {
    try {
      restored.resume();
    } catch (IOException e) {
      // Nothing is parked for a plain restore: this is not expected.
      restored.discard();
      throw new ImageStoreException("cannot continue the restored tree: " + e.getMessage(), e);
    }
  }

  /** CRIU's statistics of this restore must not be mistaken for an earlier one's. */
  private void forgetEarlierStatistics() throws ImageStoreException {
    try {
      Files.deleteIfExists(store.logsDir().resolve("stats-restore"));
    } catch (IOException e) {
      // A stale file is read as this restore's: figures only, and rarely.
    }
  }

  /** After CRIU failed: its images' corruption, if the verification finds any, explains it. */
  private void requireIntactAfterFailure() throws ImageStoreException {
    List<String> problems;
    try {
      problems = fullCheck.join();
    } catch (CompletionException e) {
      return;
    }
    if (!problems.isEmpty()) {
      throw new CorruptCheckpointException(checkpoint.label(), problems);
    }
  }

  /** The CRIU options every restore of this attempt has. */
  private CriuOptions.Builder criuOptions(
      Path images, Path workDir, String logName, Manifest.Source source) throws CriuException {
    CriuOptions.Builder builder =
        CriuOptions.builder()
            .imagesDir(images)
            .workDir(workDir)
            .logFile(logName)
            .tcpEstablished(source.tcpEstablished())
            .fileLocks(true)
            .shellJob(source.shellJob())
            .networkLock(NetworkLock.NFTABLES);
    options.substitutedFiles().forEach(builder::substituteFile);
    if (options.network() != null) {
      ExternalNetwork.supplyForRestore(builder, options.network());
    }
    return builder;
  }

  private String logName() {
    return "restore-" + checkpoint.id() + "-" + clock.now().toEpochMilli() + ".log";
  }

  /**
   * Restores the tree running before its memory is in place, served by a {@code criu lazy-pages}
   * daemon, and tells its participants they were restored; stops it if its pages then fail their
   * check.
   */
  private RestoreResult restoreLazily() throws ImageStoreException, CriuException {
    Criu criu = join(criuLookup);
    Manifest.Source source = checkpoint.manifest().source();
    long restoreStart = clock.nanoTime();
    Path images = store.restorable(checkpoint);
    Optional<ProcessHandle> lazyPagesDaemon = Optional.empty();
    boolean restored = false;
    try {
      String logName = logName();
      // The daemon and the restore meet at a socket of a fixed name in their work directory.
      Path workDir =
          privateDirectory(
              store.logsDir().resolve(logName.substring(0, logName.length() - ".log".length())));
      lazyPagesDaemon = Optional.of(criu.startLazyPagesDaemon(images, workDir));
      CriuOptions criuOptions =
          criuOptions(images, workDir, "restore.log", source).lazyPages(true).build();
      int pid;
      Duration restoreTime;
      try (SocketFilesAside aside = SocketFilesAside.of(originalsSockets(source))) {
        pid = criu.restore(criuOptions, NotifyListener.NONE);
        restored = true;
        restoreTime = Duration.ofNanos(clock.nanoTime() - restoreStart);
        Participants.restored(pid, source, notices).restored(options);
        requirePagesIntact(pid, lazyPagesDaemon);
      } catch (IOException e) {
        throw new ImageStoreException(
            "cannot set the original's control sockets aside for the restore: " + e.getMessage(),
            e);
      }
      return new RestoreResult(
          pid,
          checkpoint,
          verifyTime,
          restoreTime,
          criuOptions.logPath().orElseThrow(),
          CriuImages.restoreStats(workDir).orElse(null));
    } finally {
      if (!restored) {
        // Nothing will ever connect to it: it would wait forever.
        lazyPagesDaemon.ifPresent(ProcessHandle::destroyForcibly);
      }
      // Lazy pages are served from uncompressed images only, which are never expanded.
      store.release(checkpoint, images);
    }
  }

  /**
   * The control sockets that a live original may still listen on, which the restored copy will move
   * away from.
   */
  private List<Path> originalsSockets(Manifest.Source source) {
    Path controlDir =
        options.controlDir() == null ? null : options.controlDir().toAbsolutePath().normalize();
    if (controlDir == null || !options.besideOriginal()) {
      return List.of();
    }
    return source.participants().stream()
        .map(p -> Path.of(p.controlSocket()))
        .filter(socket -> !controlDir.equals(socket.getParent()))
        .toList();
  }

  /**
   * Waits for the check of a lazily restored checkpoint's pages; if they do not match, stops the
   * restored processes, which may have read them already, and the daemon that serves them.
   */
  private void requirePagesIntact(int pid, Optional<ProcessHandle> lazyPagesDaemon)
      throws ImageStoreException {
    List<String> problems;
    try {
      problems = pageCheck.join();
    } catch (CompletionException e) {
      problems = List.of("its page images could not be read: " + e.getCause().getMessage());
    }
    if (problems.isEmpty()) {
      return;
    }
    ProcessHandle.of(pid)
        .ifPresent(
            root -> {
              root.descendants().forEach(ProcessHandle::destroyForcibly);
              root.destroyForcibly();
            });
    lazyPagesDaemon.ifPresent(ProcessHandle::destroyForcibly);
    List<String> reported = new ArrayList<>(problems);
    reported.set(
        0, problems.get(0) + " (found while PID " + pid + " ran from it lazily; it was stopped)");
    throw new CorruptCheckpointException(checkpoint.label(), reported);
  }

  private static Criu join(CompletableFuture<Criu> lookup) throws CriuException {
    try {
      return lookup.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CriuException criu) {
        throw criu;
      }
      throw e;
    }
  }

  private static Path privateDirectory(Path dir) throws ImageStoreException {
    try {
      return PrivateFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new ImageStoreException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
