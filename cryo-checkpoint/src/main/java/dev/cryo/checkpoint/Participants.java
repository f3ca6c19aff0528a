package dev.cryo.checkpoint;

import dev.cryo.images.Manifest;
import dev.cryo.linux.LinuxProcess;
import dev.cryo.participants.CheckpointRefusedException;
import dev.cryo.participants.ControlSockets;
import dev.cryo.participants.Participant;
import dev.cryo.participants.ParticipantException;
import dev.cryo.protocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The processes of a tree that take part in its checkpoint through the checkpoint protocol, and
 * what cryo tells them: {@code pending} before the dump, and afterwards how it ended. A process
 * that does not run a runtime is dumped as it is.
 */
final class Participants implements CheckpointParticipants {
  private final String checkpointId;
  private final List<Participant> participants;
  private final List<Participant> ready = new ArrayList<>();
  private final Consumer<String> notices;

  private Participants(
      String checkpointId, List<Participant> participants, Consumer<String> notices) {
    this.checkpointId = checkpointId;
    this.participants = participants;
    this.notices = notices;
  }

  /** The tree's processes that listen on a control socket. */
  static Participants in(List<Integer> tree, String checkpointId, Consumer<String> notices) {
    List<Participant> found = new ArrayList<>();
    for (int pid : tree) {
      ControlSockets.of(pid).ifPresent(socket -> found.add(new Participant(pid, socket)));
    }
    return new Participants(checkpointId, found, notices);
  }

  /**
   * For a restore: the participants of the tree restored at {@code root}, found again by their
   * control sockets since their PIDs may have changed (a new PID namespace). Nobody, if the
   * checkpoint was a plain dump.
   */
  static Participants restored(int root, Manifest.Source source, Consumer<String> notices) {
    if (source.participants().isEmpty()) {
      return new Participants(null, List.of(), notices);
    }
    List<Integer> tree = LinuxProcess.of(root).map(LinuxProcess::tree).orElse(List.of());
    Participants found = in(tree, source.participants().get(0).checkpointId(), notices);
    if (found.participants.size() < source.participants().size()) {
      notices.accept(
          "warning: "
              + source.participants().size()
              + " processes took part in the checkpoint but only "
              + found.participants.size()
              + " control sockets were found after the restore; the others were not told");
    }
    return found;
  }

  @Override
  public boolean isEmpty() {
    return participants.isEmpty();
  }

  /**
   * Sends {@code pending} to each participant. If one refuses or does not answer, those already
   * ready are told {@code aborted} and the refusal is thrown: nothing has been dumped.
   */
  @Override
  public void prepare(Duration timeout) throws ParticipantException {
    for (Participant participant : participants) {
      // Told from the moment pending is sent: whatever happens next, it may have prepared, and
      // must hear how the checkpoint ended (a process that refused answers a stray aborted
      // harmlessly).
      ready.add(participant);
      try {
        Participant.Readiness readiness = participant.prepare(checkpointId, timeout);
        readiness
            .warnings()
            .forEach(w -> notices.accept("warning: PID " + participant.pid() + ": " + w));
      } catch (ParticipantException | RuntimeException e) {
        if (e instanceof CheckpointRefusedException) {
          ready.remove(participant); // it said no, and rolled back on its own
        }
        abort(e.getMessage());
        throw e;
      }
    }
  }

  /**
   * Tells every participant sent pending that no checkpoint was taken. Never throws: they must all
   * hear it.
   */
  @Override
  public void abort(String reason) {
    tellAll(new Request.Aborted(checkpointId, reason), ready);
  }

  /**
   * Tells every ready participant that it continues after the checkpoint as the original process.
   */
  @Override
  public void resumed() {
    tellAll(new Request.Resumed(checkpointId), ready);
  }

  /** Tells the restored participants that they are restored, with what the restore gives them. */
  void restored(RestoreOptions options) {
    tellAll(options.restoredMessage(checkpointId), participants);
  }

  private void tellAll(Request.Outcome outcome, List<Participant> whom) {
    for (Participant participant : whom) {
      try {
        List<String> errors = participant.tell(outcome);
        errors.forEach(e -> notices.accept("warning: PID " + participant.pid() + ": " + e));
      } catch (ParticipantException e) {
        // One that has ended since has nothing left to resume: no need to warn of it.
        if (LinuxProcess.isRunning(participant.pid())) {
          notices.accept("warning: " + e.getMessage());
        }
      }
    }
    if (whom == ready) {
      ready.clear();
    }
  }

  /** What the manifest records of the participants. */
  @Override
  public List<Manifest.Participant> manifestEntries() {
    return participants.stream()
        .map(p -> new Manifest.Participant(p.pid(), p.socket().toString(), checkpointId))
        .toList();
  }
}
