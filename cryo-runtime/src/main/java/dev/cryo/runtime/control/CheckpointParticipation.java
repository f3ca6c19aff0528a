package dev.cryo.runtime.control;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.ProcessStat;
import dev.cryo.protocol.Reply;
import dev.cryo.runtime.CheckpointRefusedException;
import dev.cryo.runtime.RestoreIncompleteException;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import dev.cryo.runtime.notify.Preparation;
import dev.cryo.runtime.notify.Refusal;
import dev.cryo.runtime.notify.ResourceRegistry;
import dev.cryo.runtime.notify.Restoration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * This process's part in one checkpoint at a time, whoever started it: {@code cryo checkpoint} from
 * outside (a {@code pending} message) or the application itself ({@link #checkpointRestore()}).
 * Resources are notified on one thread per checkpoint (the application's own thread when it asked),
 * and the control connection only waits and answers.
 */
public final class CheckpointParticipation {
  /**
   * How long resources may take to resume before the reply says so; under cryo's own limit of two
   * minutes.
   */
  private static final Duration RESTORE_REPLY_WAIT = Duration.ofSeconds(100);

  /**
   * The whole preparation of an application's own checkpoint; each resource also has its timeout.
   */
  private static final Duration APPLICATION_PREPARATION_LIMIT = Duration.ofMinutes(10);

  private final ResourceRegistry registry;
  private final Supplier<List<String>> hazards;
  private final SelfCheckpointLauncher launcher;

  /** The checkpoint under way, if any. */
  private CheckpointRound round;

  /** The last round that ended, kept to answer a repeated message about it as the first time. */
  private CheckpointRound lastEnded;

  public CheckpointParticipation(
      ResourceRegistry registry, Supplier<List<String>> hazards, SelfCheckpointLauncher launcher) {
    this.registry = registry;
    this.hazards = hazards;
    this.launcher = launcher;
  }

  /** One checkpoint, from {@code pending} until every resource has been told how it ended. */
  private static final class CheckpointRound {
    final boolean requestedByApplication;
    final Preparation preparation;
    final CompletableFuture<Resumption> outcome = new CompletableFuture<>();
    final CompletableFuture<List<Restoration.Failure>> notified = new CompletableFuture<>();
    final CompletableFuture<String> pendingReceived = new CompletableFuture<>();
    volatile String id;
    volatile String abortReason;

    /**
     * Set once the application's own checkpoint has prepared its resources and called {@code cryo}.
     */
    volatile boolean awaitingCryo;

    /** The cryo started for the application's own checkpoint, once known. */
    volatile long helperPid = -1;

    CheckpointRound(boolean requestedByApplication, Preparation preparation) {
      this.requestedByApplication = requestedByApplication;
      this.preparation = preparation;
    }
  }

  /**
   * Answers a {@code pending} message: ready (after every resource prepared) or refused.
   *
   * @param checkpointerPid the cryo process that sent it, as /proc shows it; -1 if unknown
   */
  public Reply onPending(String id, Duration timeout, long checkpointerPid) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CheckpointRound current;
    synchronized (this) {
      if (round != null && round.awaitingCryo && round.id == null && !round.outcome.isDone()) {
        if (!startedBy(round.helperPid, checkpointerPid)) {
          return new Reply.Refused(
              id,
              null,
              "this process is waiting for the checkpoint it asked for (cryo PID "
                  + round.helperPid
                  + ")");
        }
        round.id = id;
        current = round;
      } else if (round != null) {
        return new Reply.Refused(
            id, null, "another checkpoint (" + round.id + ") is in progress in this process");
      } else {
        current = new CheckpointRound(false, new Preparation(registry.checkpointOrder()));
        current.id = id;
        round = current;
        Thread notifier = new Thread(() -> runExternalRound(current), "cryo-checkpoint");
        notifier.setDaemon(true);
        notifier.start();
      }
    }
    if (!current.requestedByApplication) {
      Optional<Refusal> refusal;
      try {
        refusal = current.preparation.awaitReady(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        refusal = Optional.of(new Refusal(null, "the process was interrupted while preparing", e));
      }
      if (refusal.isPresent()) {
        String reason = refusal.get().reason();
        current.abortReason = reason;
        current.outcome.complete(Resumption.ABORTED);
        RuntimeLog.warn("checkpoint " + id + " refused: " + reason);
        return new Reply.Refused(id, refusal.get().resource(), reason);
      }
    }
    List<String> warnings = hazards.get();
    warnings.forEach(w -> RuntimeLog.warn("checkpoint " + id + ": " + w));
    current.pendingReceived.complete(id);
    new CheckpointerWatch(checkpointerPid, ProcessStat.ownStartTime(), current.outcome).start();
    RuntimeLog.info(
        "checkpoint "
            + id
            + ": ready, "
            + current.preparation.preparedResources().size()
            + " resources prepared");
    return new Reply.Ready(id, warnings, RuntimeIdentity.describe());
  }

  /**
   * Answers a {@code resumed}, {@code restored} or {@code aborted} message once every prepared
   * resource has been told. A repeated message about a finished checkpoint gets the same answer.
   */
  public Reply onOutcome(String id, Resumption resumption, String reason) {
    CheckpointRound target;
    synchronized (this) {
      if (round != null && id.equals(round.id)) {
        target = round;
      } else if (lastEnded != null && id.equals(lastEnded.id)) {
        target = lastEnded;
      } else {
        return new Reply.Error("no checkpoint " + id + " is in progress in this process");
      }
    }
    if (resumption == Resumption.ABORTED) {
      target.abortReason = reason == null ? "cryo aborted the checkpoint" : reason;
    }
    target.outcome.complete(resumption);
    try {
      List<Restoration.Failure> failures =
          target.notified.get(RESTORE_REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply.Done(
          id, failures.stream().map(Restoration.Failure::describe).collect(Collectors.toList()));
    } catch (TimeoutException e) {
      return new Reply.Done(
          id,
          List.of("resources were still resuming after " + RESTORE_REPLY_WAIT.toSeconds() + " s"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply.Error("interrupted while resources resumed");
    } catch (ExecutionException e) {
      return new Reply.Error("resuming failed: " + e.getCause());
    }
  }

  private void runExternalRound(CheckpointRound current) {
    try {
      Optional<Refusal> refusal = current.preparation.run();
      if (refusal.isEmpty()) {
        finish(current, awaitOutcome(current));
      } else {
        finish(current, List.of());
      }
    } catch (RuntimeException | Error e) {
      finish(current, List.of(new Restoration.Failure("cryo runtime", e)));
      throw e;
    }
  }

  private Resumption awaitOutcome(CheckpointRound current) {
    try {
      return current.outcome.get();
    } catch (InterruptedException | ExecutionException e) {
      // Nothing interrupts this thread; if something does, the process carries on as it is.
      return Resumption.ABORTED;
    }
  }

  private volatile Instant lastRestore;

  /** When this process was last restored from a checkpoint (wall clock), if it ever was. */
  public Optional<Instant> lastRestore() {
    return Optional.ofNullable(lastRestore);
  }

  private List<Restoration.Failure> finish(CheckpointRound current, Resumption resumption) {
    if (resumption == Resumption.RESTORED) {
      lastRestore = Instant.now();
    }
    RuntimeLog.info(
        "checkpoint "
            + current.id
            + ": "
            + resumption.name().toLowerCase()
            + ", resuming resources");
    List<Restoration.Failure> failures =
        Restoration.notify(current.preparation.preparedResources(), resumption);
    failures.forEach(f -> RuntimeLog.warn(f.describe()));
    finish(current, failures);
    return failures;
  }

  private void finish(CheckpointRound current, List<Restoration.Failure> failures) {
    synchronized (this) {
      if (round == current) {
        round = null;
      }
      lastEnded = current;
    }
    current.notified.complete(failures);
  }

  /**
   * Prepares every resource on the calling thread, has {@code cryo} checkpoint this process, and
   * returns once the process continues: in the original process, or in a restored one.
   */
  public Resumption checkpointRestore()
      throws CheckpointRefusedException, RestoreIncompleteException {
    CheckpointRound current;
    synchronized (this) {
      if (round != null) {
        throw new CheckpointRefusedException(
            "another checkpoint (" + round.id + ") is in progress in this process");
      }
      current = new CheckpointRound(true, new Preparation(registry.checkpointOrder()));
      round = current;
    }
    boolean resourcesTold = false;
    try {
      Optional<Refusal> refusal = prepareWatched(current.preparation);
      if (refusal.isPresent()) {
        resourcesTold = true;
        finish(current, List.of());
        throw refused(refusal.get().reason(), refusal.get().cause());
      }
      current.awaitingCryo = true;
      SelfCheckpointLauncher.Launch launch =
          launcher.launchAndAwait(current.pendingReceived, pid -> current.helperPid = pid);
      if (launch instanceof SelfCheckpointLauncher.Launch.Failed failed) {
        synchronized (this) {
          if (current.id == null) {
            // Too late for any pending to be taken as this checkpoint's: it is over.
            current.awaitingCryo = false;
            current.abortReason = failed.reason();
            current.outcome.complete(Resumption.ABORTED);
          }
        }
      }
      Resumption resumption = awaitOutcome(current);
      // Resources are told on this thread; an interrupt that ended the wait is not theirs.
      boolean interrupted = Thread.interrupted();
      List<Restoration.Failure> failures;
      try {
        resourcesTold = true;
        failures = finish(current, resumption);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (resumption == Resumption.ABORTED) {
        throw refused(
            current.abortReason != null
                ? current.abortReason
                : "the cryo that took the checkpoint went away without saying how it ended",
            null);
      }
      if (!failures.isEmpty()) {
        RestoreIncompleteException incomplete =
            new RestoreIncompleteException(
                failures.size()
                    + " resource(s) failed after the checkpoint: "
                    + failures.get(0).describe());
        failures.forEach(f -> incomplete.addSuppressed(f.error()));
        throw incomplete;
      }
      return resumption;
    } finally {
      if (!resourcesTold) {
        // Something unexpected (an Error) left the checkpoint half way: free the round at least.
        finish(current, List.of());
      }
    }
  }

  /**
   * Runs a preparation on the calling thread with a watcher beside it, so that a resource that
   * overruns its timeout is interrupted and refuses the checkpoint, as it would for cryo.
   */
  private static Optional<Refusal> prepareWatched(Preparation preparation) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                preparation.awaitReady(System.nanoTime() + APPLICATION_PREPARATION_LIMIT.toNanos());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "cryo-checkpoint-watch");
    watcher.setDaemon(true);
    watcher.start();
    try {
      return preparation.run();
    } finally {
      watcher.interrupt();
    }
  }

  private static CheckpointRefusedException refused(String reason, Throwable cause) {
    CheckpointRefusedException refused = new CheckpointRefusedException(reason);
    if (cause != null) {
      refused.addSuppressed(cause);
    }
    return refused;
  }

  /**
   * Whether the cryo that sent {@code pending} is the one started for the application's own
   * checkpoint, or one of its descendants. Unknown PIDs are given the benefit of the doubt.
   */
  private static boolean startedBy(long helperPid, long checkpointerPid) {
    if (helperPid <= 0 || checkpointerPid <= 0) {
      return true;
    }
    return LinuxProcess.isSelfOrAncestor(helperPid, checkpointerPid);
  }

  /**
   * Whether the process came back from the checkpoint without being told: a restored process has
   * another start time ({@link ProcessStat}).
   */
  static Resumption resumptionWithoutWord(OptionalLong startAtReady) {
    OptionalLong now = ProcessStat.ownStartTime();
    boolean restored =
        startAtReady.isPresent() && now.isPresent() && startAtReady.getAsLong() != now.getAsLong();
    return restored ? Resumption.RESTORED : Resumption.ABORTED;
  }
}
