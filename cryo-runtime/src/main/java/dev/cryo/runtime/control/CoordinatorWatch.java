package dev.cryo.runtime.control;

import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps a process that answered {@code ready} from waiting forever. If the {@code cryo} that sent
 * {@code pending} disappears without saying how the checkpoint ended (killed, or the process was
 * restored by something else), the watch decides: a changed start time means this is a restored
 * process; otherwise the checkpoint was abandoned and the process resumes as aborted. It counts
 * its own observations rather than comparing clock readings, which jump across a restore.
 */
final class CoordinatorWatch extends Thread {
  private static final int ABSENT_OBSERVATIONS = 3;
  private static final long INTERVAL_MILLIS = 1000;

  private final long coordinatorPid;
  private final OptionalLong coordinatorStart;
  private final OptionalLong ownStartAtReady;
  private final CompletableFuture<Resumption> outcome;

  CoordinatorWatch(long coordinatorPid, OptionalLong ownStartAtReady, CompletableFuture<Resumption> outcome) {
    super("cryo-coordinator-watch");
    setDaemon(true);
    this.coordinatorPid = coordinatorPid;
    this.coordinatorStart = coordinatorPid > 0 ? ProcessStart.of(coordinatorPid) : OptionalLong.empty();
    this.ownStartAtReady = ownStartAtReady;
    this.outcome = outcome;
  }

  @Override
  public void run() {
    int absent = 0;
    while (!outcome.isDone()) {
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      absent = coordinatorAlive() ? 0 : absent + 1;
      if (absent >= ABSENT_OBSERVATIONS && !outcome.isDone()) {
        Resumption decided = CheckpointCoordinator.resumptionWithoutWord(ownStartAtReady);
        RuntimeLog.warn("the cryo process that started the checkpoint (PID " + coordinatorPid
            + ") is gone without saying how it ended; resuming as " + decided.name().toLowerCase());
        outcome.complete(decided);
      }
    }
  }

  private boolean coordinatorAlive() {
    if (coordinatorStart.isEmpty()) {
      return false;
    }
    OptionalLong now = ProcessStart.of(coordinatorPid);
    return now.isPresent() && now.getAsLong() == coordinatorStart.getAsLong();
  }
}
