package dev.cryo.checkpoint;

import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A checkpoint restored ahead of time and left stopped: every process of its tree exists with its
 * memory in place, but none runs, and its participants have not heard of the restore. {@link
 * #resume} continues it in the time it takes to signal its processes and tell them; {@link
 * #discard} ends it. This is what makes a warm service start faster than any restore can: the
 * restore's work is done before anyone waits for it.
 *
 * <p>A standby never runs on images that failed verification: its verification may still be running
 * when it is prepared, and {@link #resume} waits for it, ending the standby if it failed.
 *
 * <p>A standby prepared beside a running original shares nothing it could serve with it: its TCP
 * connections were restored closed, and its control sockets are parked under other names until it
 * is resumed (see {@link #parkedSockets}). Its listening sockets, if its checkpoint has any, hold
 * their ports: a standby can be prepared beside its original only when the original listened on
 * nothing at its checkpoint, as an {@code org.crac} program that closes its listeners before each
 * checkpoint does. Whoever resumes it must make sure that the original has ended.
 */
public final class Standby {
  private final int pid;
  private final StoredCheckpoint checkpoint;
  private final RestoreOptions options;
  private final Map<Path, Path> parkedSockets;
  private final CompletableFuture<List<String>> verification;
  private final Duration restoreTime;
  private final Consumer<String> notices;
  private final ProcessTable processes;

  /** Its participants, found when it was prepared, so that a resume does not search for them. */
  private Participants participants;

  Standby(
      ProcessTable processes,
      int pid,
      StoredCheckpoint checkpoint,
      RestoreOptions options,
      Map<Path, Path> parkedSockets,
      CompletableFuture<List<String>> verification,
      Duration restoreTime,
      Consumer<String> notices) {
    this.processes = processes;
    this.pid = pid;
    this.checkpoint = checkpoint;
    this.options = options;
    this.parkedSockets = Map.copyOf(parkedSockets);
    this.verification = verification;
    this.restoreTime = restoreTime;
    this.notices = notices;
  }

  /**
   * A standby that an earlier process prepared and verified, found again by its root's PID.
   *
   * @param parkedSockets as {@link #parkedSockets} said when it was prepared
   */
  public static Standby adopt(
      int pid,
      StoredCheckpoint checkpoint,
      RestoreOptions options,
      Map<Path, Path> parkedSockets,
      Consumer<String> notices) {
    return new Standby(
        ProcessTable.HOST,
        pid,
        checkpoint,
        options,
        parkedSockets,
        CompletableFuture.completedFuture(List.of()),
        Duration.ZERO,
        notices);
  }

  /** The PID of its root. */
  public int pid() {
    return pid;
  }

  public StoredCheckpoint checkpoint() {
    return checkpoint;
  }

  /** CRIU's part of preparing it. */
  public Duration restoreTime() {
    return restoreTime;
  }

  /**
   * Its participants' control sockets, by the paths they were bound to (where the original's may
   * still be), and the names they wait under until the standby is resumed.
   */
  public Map<Path, Path> parkedSockets() {
    return parkedSockets;
  }

  /**
   * Waits for its images' verification. A standby whose images failed it is ended before it can
   * run, and the failure thrown.
   */
  public void requireVerified() throws CorruptCheckpointException {
    List<String> problems;
    try {
      problems = verification.join();
    } catch (CompletionException e) {
      problems = List.of("its images could not be read: " + e.getCause().getMessage());
    }
    if (!problems.isEmpty()) {
      discard();
      List<String> reported = new ArrayList<>(problems);
      reported.set(
          0,
          problems.get(0)
              + " (found while PID "
              + pid
              + " waited, stopped, to run from it; it was ended)");
      throw new CorruptCheckpointException(checkpoint.label(), reported);
    }
  }

  /**
   * Lets it run: once its images are verified, its control sockets go back to their paths (over the
   * original's, which must have ended), its processes are continued, and its participants are told
   * that they were restored, with the options it was prepared with.
   *
   * @throws CorruptCheckpointException if its images failed verification; it was ended
   * @throws IOException if its control sockets could not be put back; it still waits, stopped
   */
  public void resume() throws CorruptCheckpointException, IOException {
    requireVerified();
    for (Map.Entry<Path, Path> socket : parkedSockets.entrySet()) {
      Files.move(
          socket.getValue(),
          socket.getKey(),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (participants == null) {
      findParticipants();
    }
    processes.continueAll(processes.tree(pid));
    participants.restored(options);
  }

  /** Finds its participants by their control sockets, which hold the paths they were bound to. */
  void findParticipants() {
    participants = Participants.restored(pid, checkpoint.manifest().source(), notices);
  }

  /** Ends its whole tree, which has never run since its checkpoint. Safe to repeat. */
  public void discard() {
    processes.killAll(processes.tree(pid));
    parkedSockets.values().forEach(Standby::deleteQuietly);
  }

  /** Whether its root is still there. */
  public boolean exists() {
    return processes.isRunning(pid);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A socket file left behind binds nothing once its process has ended.
    }
  }
}
