package dev.cryo.supervisor;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.PruneSummary;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.RepositoryBusyException;
import dev.cryo.repository.TransferSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Uploads a run's checkpoints to its remote repository on a thread of its own, so that neither the
 * program nor the supervisor waits for the network: one upload at a time, and of the checkpoints
 * taken during an upload only the newest is uploaded next. While a hold is taken ({@link #holdOff},
 * for a checkpoint or a restore) an upload pauses at its next chunk. After each upload the run's
 * remote checkpoints beyond its {@code keep} are deleted, as locally, and the chunks no checkpoint
 * uses any more are pruned. Every outcome is an event; a failure never ends the run, and the next
 * checkpoint tries again. Once the run's ownership fence has expired nothing more is uploaded, and
 * an upload under way stops at its next chunk: another host may own the program's checkpoints now.
 */
final class RemoteUploads implements AutoCloseable {
  /** How long a supervisor that ends waits for the uploads it was given to finish. */
  static final Duration FINISH_WAIT = Duration.ofMinutes(5);

  /** Releases a hold; never fails. */
  interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /** A checkpoint to upload, and the older ones it replaced before their upload began. */
  private record Upload(RunSpec spec, StoredCheckpoint checkpoint, List<String> replaced) {}

  private final RemoteCheckpoints remote;
  private final Runs runs;
  private final SettingNames settingNames;
  private final EventLog events;
  private final BooleanSupplier fenceExpired;

  // Guarded by this.
  private Upload pending;
  private String uploading;

  /** Why the last prune was skipped, to say it once. */
  private String lastPruneSkipped;

  private int holds;
  private boolean closing;
  private Thread thread;

  /**
   * @param runs the store's runs, whose copies' origins remote retention keeps too
   */
  RemoteUploads(RemoteCheckpoints remote, RunDirectory run, Runs runs, SettingNames settingNames) {
    this(remote, run, runs, settingNames, () -> false);
  }

  /**
   * @param fenceExpired whether the run's ownership fence has expired
   */
  RemoteUploads(
      RemoteCheckpoints remote,
      RunDirectory run,
      Runs runs,
      SettingNames settingNames,
      BooleanSupplier fenceExpired) {
    this.fenceExpired = fenceExpired;
    this.remote = remote;
    this.runs = runs;
    this.settingNames = settingNames;
    this.events = run.events();
  }

  /**
   * Uploads {@code checkpoint} once the upload under way, if any, is over; a checkpoint offered
   * before that replaces it. Returns at once.
   */
  synchronized void offer(RunSpec spec, StoredCheckpoint checkpoint) {
    if (closing) {
      return;
    }
    List<String> replaced = new ArrayList<>();
    if (pending != null) {
      replaced.addAll(pending.replaced());
      replaced.add(pending.checkpoint().label());
    }
    pending = new Upload(spec, checkpoint, replaced);
    if (thread == null) {
      thread = new Thread(this::uploadAsOffered, "cryo-upload");
      thread.setDaemon(true);
      thread.start();
    }
    notifyAll();
  }

  /** The ids of the checkpoints being uploaded or about to be, which must not be deleted yet. */
  synchronized Set<String> inUse() {
    Set<String> ids = new HashSet<>();
    if (uploading != null) {
      ids.add(uploading);
    }
    if (pending != null) {
      ids.add(pending.checkpoint().id());
    }
    return ids;
  }

  /**
   * Pauses uploads until the hold is closed: none starts, and one under way stops reading at its
   * next chunk (the few chunks already on their way finish). Returns at once.
   */
  synchronized Hold holdOff() {
    holds++;
    return this::release;
  }

  private synchronized void release() {
    holds--;
    notifyAll();
  }

  /**
   * Takes no more checkpoints, and waits up to {@link #FINISH_WAIT} for the upload under way and
   * the one offered after it, so that the last checkpoint of a run that ends reaches the
   * repository.
   */
  @Override
  public void close() {
    Thread worker;
    synchronized (this) {
      closing = true;
      notifyAll();
      worker = thread;
    }
    if (worker == null) {
      return;
    }
    try {
      worker.join(FINISH_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String unfinished = unfinished();
    if (unfinished != null) {
      events.append(
          "upload-abandoned",
          "the upload of checkpoint "
              + unfinished
              + " to "
              + remote.location()
              + " did not finish before the supervisor ended; nothing of it is visible there",
          unfinished);
    }
  }

  private synchronized String unfinished() {
    if (uploading != null) {
      return uploading;
    }
    return pending == null ? null : pending.checkpoint().id();
  }

  private void uploadAsOffered() {
    try {
      for (Optional<Upload> next = next(); next.isPresent(); next = next()) {
        try {
          upload(next.get());
        } finally {
          uploaded();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next checkpoint to upload, once no hold is taken; empty once closed with none left. */
  private synchronized Optional<Upload> next() throws InterruptedException {
    while ((pending == null && !closing) || holds > 0) {
      wait();
    }
    if (pending == null) {
      return Optional.empty();
    }
    Upload next = pending;
    pending = null;
    uploading = next.checkpoint().id();
    return Optional.of(next);
  }

  /** The upload under way is over: retention may delete its checkpoint here. */
  private synchronized void uploaded() {
    uploading = null;
  }

  /** Called between chunks: waits while a hold is taken. */
  private synchronized void awaitNoHold() {
    try {
      while (holds > 0) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Thrown between chunks to end the upload of a run whose fence expired. */
  private static final class Fenced extends RuntimeException {
    Fenced() {
      super("the run's ownership fence expired", null, false, false);
    }
  }

  private void upload(Upload upload) {
    StoredCheckpoint checkpoint = upload.checkpoint();
    RemoteRepository repository;
    TransferSummary summary;
    try {
      if (fenceExpired.getAsBoolean()) {
        throw new Fenced();
      }
      repository = remote.repository();
      summary =
          repository.push(
              checkpoint,
              (done, total, sent) -> {
                awaitNoHold();
                if (fenceExpired.getAsBoolean()) {
                  throw new Fenced();
                }
              });
    } catch (ImageStoreException | RuntimeException e) {
      uploaded();
      if (FailureMessages.cause(e, Fenced.class) != null) {
        events.append(
            "upload-fenced",
            "checkpoint "
                + checkpoint.label()
                + " was not uploaded to "
                + remote.location()
                + ": the run's ownership fence expired, and another host may own its checkpoints"
                + " there now",
            checkpoint.id());
      } else if (!Files.isDirectory(checkpoint.directory())) {
        // Local retention of another process (cryo checkpoint NAME) deleted it meanwhile; what was
        // sent of it is no checkpoint there, and the next prune deletes it.
        events.append(
            "upload-skipped",
            "checkpoint "
                + checkpoint.label()
                + " was deleted here while it was uploaded to "
                + remote.location()
                + "; the next checkpoint is uploaded instead",
            checkpoint.id());
      } else {
        events.append(
            "upload-failed",
            "could not upload checkpoint "
                + checkpoint.label()
                + " to "
                + remote.location()
                + ": "
                + FailureMessages.describe(e)
                + "; the program keeps running, and the next checkpoint tries again",
            checkpoint.id());
      }
      return;
    }
    uploaded();
    events.append(
        "uploaded",
        String.format(
            "checkpoint %s uploaded to %s: %s of images, %s sent, in %s%s",
            checkpoint.label(),
            remote.location(),
            HumanUnits.bytes(summary.checkpointBytes()),
            HumanUnits.bytes(summary.transferredBytes()),
            HumanUnits.seconds(summary.elapsed()),
            upload.replaced().isEmpty()
                ? ""
                : "; skipped for it, taken while the upload before it ran: "
                    + String.join(", ", upload.replaced())),
        checkpoint.id());
    // Not while a restore may be pulling one of the checkpoints retention would delete.
    awaitNoHold();
    if (fenceExpired.getAsBoolean()) {
      return;
    }
    applyRetention(repository, upload.spec(), checkpoint);
  }

  /**
   * Deletes the run's unnamed remote checkpoints beyond the newest {@code keep}, by the rule of
   * local retention, then the chunks no checkpoint uses. A repository busy with another push or
   * prune is left alone until the next upload.
   */
  private void applyRetention(
      RemoteRepository repository, RunSpec spec, StoredCheckpoint uploaded) {
    try {
      Set<String> kept = new HashSet<>(runs.originsInUse());
      kept.add(uploaded.id());
      List<Manifest> theirs =
          remote.of(spec).stream().map(RemoteRepository.Entry::manifest).toList();
      for (String old : RunCheckpoints.beyondKeep(theirs, spec.keep(), kept)) {
        repository.delete(old);
        events.append(
            "remote-deleted",
            "checkpoint "
                + old
                + " deleted from "
                + remote.location()
                + ": "
                + settingNames.keep(spec.keep()),
            old);
      }
    } catch (ImageStoreException | IOException e) {
      events.append(
          "remote-retention-failed",
          "could not delete old checkpoints from "
              + remote.location()
              + ": "
              + e.getMessage()
              + "; tried again after the next upload");
      return;
    }
    try {
      PruneSummary pruned = repository.prune(Duration.ZERO);
      lastPruneSkipped = null;
      if (pruned.deletedPacks() > 0) {
        events.append(
            "remote-pruned",
            "deleted "
                + pruned.deletedPacks()
                + " packs of chunks ("
                + HumanUnits.bytes(pruned.deletedBytes())
                + ") that no checkpoint in "
                + remote.location()
                + " uses any more");
      }
    } catch (RepositoryBusyException e) {
      // Said once per reason: a marker left by a host that died blocks prunes for a while, and
      // every upload until then would say the same.
      if (!e.getMessage().equals(lastPruneSkipped)) {
        lastPruneSkipped = e.getMessage();
        events.append(
            "prune-skipped",
            "unused chunks stay in the repository until a later upload: " + e.getMessage());
      }
    } catch (ImageStoreException | RuntimeException e) {
      events.append(
          "prune-failed",
          "could not prune "
              + remote.location()
              + ": "
              + FailureMessages.describe(e)
              + "; tried again after the next upload");
    }
  }
}
