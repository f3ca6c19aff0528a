package dev.cryo.checkpoint;

import dev.cryo.images.Manifest;
import dev.cryo.participants.CheckpointRefusedException;
import dev.cryo.participants.ParticipantException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Participants that record what they were told, and refuse when a test says so. */
final class FakeParticipants implements CheckpointParticipants {
  final List<Integer> pids;
  final List<String> told = new ArrayList<>();

  /** The participant that refuses {@code pending}, or 0. */
  int refusing;

  private boolean sentPending;

  FakeParticipants(List<Integer> pids) {
    this.pids = pids;
  }

  @Override
  public boolean isEmpty() {
    return pids.isEmpty();
  }

  @Override
  public void prepare(Duration timeout) throws ParticipantException {
    sentPending = true;
    told.add("pending");
    if (refusing != 0) {
      // As Participants does: those already told hear aborted before the refusal is thrown.
      told.add("aborted: PID " + refusing + " refused");
      sentPending = false;
      throw new CheckpointRefusedException(refusing, "db", "a transaction is open");
    }
  }

  @Override
  public void abort(String reason) {
    if (sentPending) {
      told.add("aborted: " + reason);
      sentPending = false;
    }
  }

  @Override
  public void resumed() {
    if (sentPending) {
      told.add("resumed");
      sentPending = false;
    }
  }

  @Override
  public List<Manifest.Participant> manifestEntries() {
    return pids.stream()
        .map(pid -> new Manifest.Participant(pid, "/run/" + pid + ".cryo.sock", "id"))
        .toList();
  }
}
