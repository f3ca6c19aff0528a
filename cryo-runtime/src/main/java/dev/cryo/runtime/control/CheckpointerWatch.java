package dev.cryo.runtime.control;

import dev.cryo.linux.ProcessStat;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps a process that answered {@code ready} from waiting forever. If the {@code cryo} that sent
 * {@code pending} disappears without saying how the checkpoint ended (killed, or the process was
 * restored by something else), the watch decides: a changed start time means this is a restored
 * process; otherwise the checkpoint was abandoned and the process resumes as aborted. It counts its
 * own observations rather than comparing clock readings, which jump across a restore.
 */
final class CheckpointerWatch extends Thread {
  private static final int ABSENT_OBSERVATIONS = 3;
  private static final long INTERVAL_MILLIS = 1000;

  /** The cryo process that sent {@code pending}, as /proc shows it. */
  private final long checkpointerPid;

  /** Its start time, which tells it from a later process given its PID. */
  private final OptionalLong checkpointerStart;

  private final OptionalLong ownStartAtReady;
  private final CompletableFuture<Resumption> outcome;

  CheckpointerWatch(
      long checkpointerPid, OptionalLong ownStartAtReady, CompletableFuture<Resumption> outcome) {
    super("cryo-checkpointer-watch");
    setDaemon(true);
    this.checkpointerPid = checkpointerPid;
    this.checkpointerStart =
        checkpointerPid > 0 ? ProcessStat.startTimeOf(checkpointerPid) : OptionalLong.empty();
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
      absent = checkpointerAlive() ? 0 : absent + 1;
      if (absent >= ABSENT_OBSERVATIONS && !outcome.isDone()) {
        Resumption decided = CheckpointParticipation.resumptionWithoutWord(ownStartAtReady);
        RuntimeLog.warn(
            "the cryo process that started the checkpoint (PID "
                + checkpointerPid
                + ") is gone without saying how it ended; resuming as "
                + decided.name().toLowerCase());
        outcome.complete(decided);
      }
    }
  }

  private boolean checkpointerAlive() {
    if (checkpointerStart.isEmpty()) {
      return false;
    }
    OptionalLong now = ProcessStat.startTimeOf(checkpointerPid);
    return now.isPresent() && now.getAsLong() == checkpointerStart.getAsLong();
  }
}
