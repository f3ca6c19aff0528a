package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.participants.ParticipantException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checkpoints a process tree into the image store and restores it from there, with the checks that
 * keep both sides safe: nothing is dumped into a store that cannot take it, a failed checkpoint
 * leaves the process running, a checkpoint is visible only once complete, and a restore refuses
 * images that fail verification or whose PIDs are taken. The phases of each are in {@link
 * CheckpointAttempt} and {@link RestoreAttempt}.
 */
public final class CheckpointService {
  private final ImageStore store;
  private final CriuSource criuSource;
  private final ProcessTable processes;
  private final TimeSource clock;

  public CheckpointService(ImageStore store, CriuSource criuSource) {
    this(store, criuSource, ProcessTable.HOST, TimeSource.SYSTEM);
  }

  CheckpointService(
      ImageStore store, CriuSource criuSource, ProcessTable processes, TimeSource clock) {
    this.store = store;
    this.criuSource = criuSource;
    this.processes = processes;
    this.clock = clock;
  }

  /**
   * Checkpoints the tree rooted at {@code pid}. Without {@code leaveRunning} the tree is killed
   * once the checkpoint is safely stored; if storing fails, CRIU resumes it instead.
   */
  public CheckpointResult checkpoint(CheckpointRequest request, Consumer<String> notices)
      throws ProcessNotFoundException, ImageStoreException, CriuException, ParticipantException {
    CheckpointAttempt attempt = begin(request, notices);
    try {
      attempt.stage();
      attempt.prepareParticipants();
      attempt.dump();
      if (request.leaveRunning() && request.resumeBeforeStoring()) {
        // The images are taken: the processes carry on at once, not after checksums and
        // publication.
        attempt.resume();
      }
      attempt.store();
      attempt.publish();
      attempt.resume();
      return attempt.result();
    } catch (ImageStoreException | CriuException | ParticipantException | RuntimeException e) {
      throw asDeclared(attempt.abort(e));
    } finally {
      attempt.close();
    }
  }

  /**
   * Starts a checkpoint that the caller takes through its phases itself (see {@link
   * CheckpointAttempt}), after the checks that touch nothing.
   */
  public CheckpointAttempt begin(CheckpointRequest request, Consumer<String> notices)
      throws ProcessNotFoundException, ImageStoreException, CriuException {
    return CheckpointAttempt.begin(request, notices, store, criuSource, processes, clock);
  }

  /**
   * Restores a checkpoint after checking that its PIDs are free, and passes the restored
   * participants {@code restoreOptions}. CRIU restores the tree stopped while every file is
   * verified; it runs only once they have passed, and is ended if they have not. The restored tree
   * runs detached from this process. A tree that had its own PID namespace gets a new one, so none
   * of its old PIDs need to be free.
   */
  public RestoreResult restore(
      StoredCheckpoint checkpoint, RestoreOptions restoreOptions, Consumer<String> notices)
      throws ImageStoreException, PidInUseException, CriuException {
    return verifyingAttempt(checkpoint, restoreOptions, notices).restore();
  }

  /**
   * Restores a checkpoint as a {@link Standby}: stopped, ready to be resumed in milliseconds. The
   * images' verification may still be running when it returns; {@link Standby#resume} waits for it
   * and refuses to run a standby whose images failed it. Lazy pages do not apply: a standby has its
   * memory in place.
   */
  public Standby prepare(
      StoredCheckpoint checkpoint, RestoreOptions restoreOptions, Consumer<String> notices)
      throws ImageStoreException, PidInUseException, CriuException {
    if (restoreOptions.lazyPages()) {
      throw new IllegalArgumentException("a standby is restored with its memory in place");
    }
    return verifyingAttempt(checkpoint, restoreOptions, notices).prepare();
  }

  /** A restore whose verification has started, once the checkpoint's PIDs are found free. */
  private RestoreAttempt verifyingAttempt(
      StoredCheckpoint checkpoint, RestoreOptions restoreOptions, Consumer<String> notices)
      throws ImageStoreException, PidInUseException {
    RestoreAttempt attempt =
        new RestoreAttempt(
            store, criuSource, processes, clock, checkpoint, restoreOptions, notices);
    attempt.verify();
    attempt.requirePidsFree();
    return attempt;
  }

  /**
   * Deletes a checkpoint, and releases the network lock CRIU still holds for it if its tree was
   * ended by the dump and never restored: nothing can restore it any more.
   */
  public StoredCheckpoint delete(String reference) throws ImageStoreException {
    StoredCheckpoint checkpoint = store.resolve(reference);
    Optional<String> lockTable = NetworkLocks.tableOf(checkpoint.imagesDir());
    store.delete(checkpoint);
    lockTable.ifPresent(NetworkLocks::release);
    return checkpoint;
  }

  /**
   * Throws {@code error} if it is one of the checked exceptions a checkpoint declares; otherwise
   * returns it as an unchecked one, for the caller to throw.
   */
  private static RuntimeException asDeclared(Exception error)
      throws ProcessNotFoundException, ImageStoreException, CriuException, ParticipantException {
    if (error instanceof ProcessNotFoundException e) {
      throw e;
    }
    if (error instanceof ImageStoreException e) {
      throw e;
    }
    if (error instanceof CriuException e) {
      throw e;
    }
    if (error instanceof ParticipantException e) {
      throw e;
    }
    return error instanceof RuntimeException e
        ? e
        : new IllegalStateException(error.getMessage(), error);
  }
}
