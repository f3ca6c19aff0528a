package dev.cryo.checkpoint;

import dev.cryo.images.Manifest;
import dev.cryo.participants.ParticipantException;
import java.time.Duration;
import java.util.List;

/**
 * What a checkpoint tells the processes that take part in it, phase by phase ({@link Participants}
 * on a real host; a test's fake elsewhere).
 */
interface CheckpointParticipants {
  /** Nobody to tell: a plain dump. */
  CheckpointParticipants NONE =
      new CheckpointParticipants() {
        @Override
        public boolean isEmpty() {
          return true;
        }

        @Override
        public void prepare(Duration timeout) {}

        @Override
        public void abort(String reason) {}

        @Override
        public void resumed() {}

        @Override
        public List<Manifest.Participant> manifestEntries() {
          return List.of();
        }
      };

  boolean isEmpty();

  /**
   * Tells each participant {@code pending} and waits until it is ready. If one refuses or does not
   * answer, those already told hear {@code aborted} before this throws.
   */
  void prepare(Duration timeout) throws ParticipantException;

  /** Tells every participant sent {@code pending} that no checkpoint was taken. Never throws. */
  void abort(String reason);

  /** Tells every ready participant that it goes on as the original process. Never throws. */
  void resumed();

  /** What the manifest records of the participants. */
  List<Manifest.Participant> manifestEntries();
}
