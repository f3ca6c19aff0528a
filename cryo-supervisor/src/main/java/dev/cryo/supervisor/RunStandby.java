package dev.cryo.supervisor;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.Standby;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.StoredCheckpoint;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The standby of a run with {@link RunSpec#standby}: its newest checkpoint restored ahead of time,
 * stopped, beside the running program, and resumed in its place when it dies. A resume costs a few
 * signals and the {@code restored} message, where a restore costs CRIU's whole work, so a crash is
 * answered in milliseconds.
 *
 * <p>Two live copies never serve together: the standby runs only once the program has died and been
 * reaped, and until then it is stopped, its connections closed and its control sockets parked
 * ({@link Standby}). It costs the memory of its checkpoint once more. Its PID is written to the
 * run's directory, so that a supervisor that takes over from one that died ends the standby left
 * behind rather than leave it stopped forever.
 */
final class RunStandby {

  private final Checkpointer checkpointer;
  private final ProgramProcesses processes;
  private final RunDirectory run;
  private final EventLog events;
  private Standby current;

  /** The reason the last preparation failed, said once until it changes. */
  private String lastFailure;

  RunStandby(Checkpointer checkpointer, ProgramProcesses processes, RunDirectory run) {
    this.checkpointer = checkpointer;
    this.processes = processes;
    this.run = run;
    this.events = run.events();
  }

  /**
   * Replaces the standby with one of {@code checkpoint}, just taken. A failure is an event (once
   * per reason); the run carries on without a standby, and a crash is then answered by a restore.
   */
  synchronized void replace(RunSpec spec, StoredCheckpoint checkpoint) {
    discard();
    RestoreOptions options =
        new RestoreOptions(
            Map.of(),
            run.controlDir(),
            false,
            Map.of(),
            false,
            spec.networkNamespace().orElse(null));
    // Its control sockets are set aside for a moment: no checkpoint of the program meanwhile.
    try (Closeable ignored = run.lockForCheckpoint()) {
      current =
          checkpointer.prepare(
              checkpoint, options, notice -> System.err.println("cryo: " + notice));
      run.recordStandby(current.pid());
      if (lastFailure != null) {
        events.append(
            "standby",
            "a standby of checkpoint " + checkpoint.label() + " is ready again",
            checkpoint.id());
        lastFailure = null;
      }
    } catch (Exception e) {
      if (current != null) {
        discard();
      }
      String why = FailureMessages.describe(e);
      if (!Objects.equals(why, lastFailure)) {
        events.append(
            "standby-failed",
            "could not prepare a standby of checkpoint "
                + checkpoint.label()
                + ": "
                + why
                + "; a crash will be answered by a restore (a standby needs a checkpoint taken"
                + " while the program listened on nothing: docs/restore-time.md)",
            checkpoint.id());
        lastFailure = why;
      }
    }
  }

  /**
   * The program has died and been reaped: resumes the standby in its place, and has {@code
   * stateWriter} record it before the event says so. Empty if there is none, or it could not be
   * resumed (an event says why); the standby is gone either way.
   */
  synchronized Optional<ProgramTree> resume(Recovery.RunningStateWriter stateWriter) {
    Standby standby = current;
    current = null;
    run.forgetStandby();
    if (standby == null) {
      return Optional.empty();
    }
    StoredCheckpoint checkpoint = standby.checkpoint();
    long start = System.nanoTime();
    try {
      Files.deleteIfExists(run.exitStatusFile());
      standby.resume();
    } catch (CorruptCheckpointException e) {
      processes.discard(standby.pid());
      events.append(
          "skipped",
          "the standby of checkpoint "
              + checkpoint.label()
              + " was ended, its checkpoint being corrupt: "
              + String.join(", ", e.problems()),
          checkpoint.id());
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      standby.discard();
      processes.discard(standby.pid());
      events.append(
          "standby-failed",
          "could not resume the standby of checkpoint "
              + checkpoint.label()
              + ": "
              + FailureMessages.describe(e),
          checkpoint.id());
      return Optional.empty();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Optional<ProgramTree> tree = processes.tree(standby.pid());
    if (tree.isEmpty()) {
      processes.reap(standby.pid());
      events.append(
          "standby-failed",
          "the standby of checkpoint " + checkpoint.label() + " ended as it was resumed",
          checkpoint.id());
      return Optional.empty();
    }
    stateWriter.writeRunning(tree.get());
    events.append(
        "resumed",
        "resumed the standby of checkpoint "
            + checkpoint.label()
            + " (taken "
            + checkpoint.manifest().createdAt()
            + ") in "
            + HumanUnits.seconds(took)
            + "; PID "
            + tree.get().mainPid(),
        checkpoint.id());
    return tree;
  }

  /** Ends the standby, if there is one. */
  synchronized void discard() {
    Standby standby = current;
    current = null;
    if (standby != null) {
      standby.discard();
      processes.discard(standby.pid());
    }
    run.forgetStandby();
  }

  /** Ends the standby that a supervisor before this one left, if it still exists. */
  void discardLeftOver() {
    OptionalInt left = run.standbyPid();
    if (left.isPresent()) {
      processes.discard(left.getAsInt());
      events.append(
          "standby", "ended the standby (PID " + left.getAsInt() + ") left by a supervisor");
    }
    run.forgetStandby();
  }
}
