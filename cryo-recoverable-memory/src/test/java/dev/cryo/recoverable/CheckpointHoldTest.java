package dev.cryo.recoverable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A region held for a process checkpoint. A restore is played here by a second RecoverableMemory on
 * the same file standing for the process that went on after the checkpoint and crashed: what it
 * committed must be in the region once the restored one releases its hold, and what it left in
 * flight not.
 */
class CheckpointHoldTest {
  @TempDir Path tmp;

  private static void commit(RecoverableMemory region, long value) {
    try (Transaction tx = region.begin()) {
      tx.declare(0, 8).putLong(0, value);
      tx.commit();
    }
  }

  private RecoverableMemory create(Durability durability) throws Exception {
    return RecoverableMemory.create(
        tmp.resolve("region"), RecoverableMemoryOptions.of(1 << 20, durability));
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void noTransactionRunsWhileTheRegionIsHeld(Durability durability) throws Exception {
    try (RecoverableMemory region = create(durability)) {
      commit(region, 1);
      CheckpointHold hold = region.holdForCheckpoint();
      CountDownLatch started = new CountDownLatch(1);
      AtomicLong committedAt = new AtomicLong(-1);
      Thread writer =
          new Thread(
              () -> {
                started.countDown();
                commit(region, 2);
                committedAt.set(region.commitSequence());
              });
      writer.start();
      started.await();
      writer.join(300);
      assertThat(committedAt.get()).as("the writer waits while the region is held").isEqualTo(-1);

      CheckpointHold.Reconciliation after = hold.release(false);
      writer.join(10_000);

      assertThat(after).isEqualTo(new CheckpointHold.Reconciliation(1, 1, false));
      assertThat(committedAt.get())
          .as("the writer committed once the hold was released")
          .isEqualTo(2);
      assertThat(region.getLong(0)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aRestoredRegionHasEveryCommitMadeAfterTheCheckpointAndNoneOfWhatWasLeftInFlight(
      Durability durability) throws Exception {
    Path file = tmp.resolve("region");
    try (RecoverableMemory restored = create(durability)) {
      commit(restored, 5);
      CheckpointHold hold = restored.holdForCheckpoint();

      // The process that went on after the checkpoint: three more commits, then a crash with a
      // transaction in flight (the region is abandoned, not closed).
      RecoverableMemory successor = RecoverableMemory.open(file);
      commit(successor, 6);
      commit(successor, 7);
      commit(successor, 8);
      Transaction inFlight = successor.begin();
      inFlight.declare(0, 8).putLong(0, 999);

      CheckpointHold.Reconciliation reconciliation = hold.release(true);

      assertThat(reconciliation.sequenceAtCheckpoint()).isEqualTo(1);
      assertThat(reconciliation.sequenceNow())
          .as("commits made after the checkpoint are there")
          .isEqualTo(4);
      assertThat(reconciliation.commitsSinceCheckpoint()).isEqualTo(3);
      assertThat(restored.getLong(0))
          .as("the last committed value, not the one in flight")
          .isEqualTo(8);
      commit(restored, 9);
      assertThat(restored.commitSequence()).isEqualTo(5);
    }
    try (RecoverableMemory reopened = RecoverableMemory.open(file)) {
      assertThat(reopened.getLong(0)).as("after closing and reopening").isEqualTo(9);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aHoldIsReleasedOnceAndByItsOwnThread(Durability durability) throws Exception {
    try (RecoverableMemory region = create(durability)) {
      CheckpointHold hold = region.holdForCheckpoint();
      Thread other =
          new Thread(
              () ->
                  assertThatThrownBy(() -> hold.release(false))
                      .isInstanceOf(IllegalStateException.class)
                      .hasMessageContaining("thread that took it"));
      other.start();
      other.join(10_000);
      hold.release(false);
      assertThatThrownBy(() -> hold.release(false)).hasMessageContaining("already released");
      commit(region, 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void inMachineCrashModeNoRedoLogIsOpenDuringTheCheckpoint(Durability durability)
      throws Exception {
    try (RecoverableMemory region = create(durability)) {
      commit(region, 1);
      CheckpointHold hold = region.holdForCheckpoint();
      Path redo = RecoverableMemory.redoLogOf(region.file());
      if (durability == Durability.MACHINE_CRASH) {
        assertThat(Files.size(redo)).as("the log was folded into the data file").isZero();
      }
      assertThat(openFiles())
          .as("files open during the checkpoint")
          .doesNotContain(redo.toString());
      hold.release(false);
      commit(region, 2);
      assertThat(region.getLong(0)).isEqualTo(2);
    }
  }

  @Test
  void concurrentCommittersAreNeverToldTheirDurableCommitFailedWhenAHoldFoldsTheLog()
      throws Exception {
    try (RecoverableMemory region = create(Durability.MACHINE_CRASH)) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> committers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int slot = t;
        Thread committer =
            new Thread(
                () -> {
                  long n = 0;
                  while (!stop.get() && failure.get() == null) {
                    try (Transaction tx = region.begin()) {
                      tx.declare(slot * 8L, 8).putLong(slot * 8L, ++n);
                      tx.commit();
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  }
                });
        committers.add(committer);
        committer.start();
      }
      for (int i = 0; i < 200 && failure.get() == null; i++) {
        region.holdForCheckpoint().release(false);
      }
      stop.set(true);
      for (Thread committer : committers) {
        committer.join(30_000);
      }
      assertThat(failure.get())
          .as("a committer's failure while holds folded and closed the log")
          .isNull();
    }
  }

  @Test
  void aWaiterForAPositionTheLogWasTruncatedPastFindsItDurable() throws Exception {
    try (RedoLog log = RedoLog.open(tmp.resolve("log.redo"))) {
      long first = log.append(RedoLog.encode(1, List.of(new RedoLog.Range(0, new byte[8]))));
      log.awaitDurable(log.end());
      log.truncate();
      long second = log.append(RedoLog.encode(2, List.of(new RedoLog.Range(0, new byte[8]))));

      log.awaitDurable(first);
      log.awaitDurable(second);

      assertThat(second).as("positions keep growing across a truncation").isGreaterThan(first);
      assertThat(log.replay())
          .as("the file holds the record written after the truncation")
          .extracting(RedoLog.Entry::sequence)
          .containsExactly(2L);
    }
  }

  @Test
  void aThreadHoldingTheReadLockIsToldItCannotBeginRatherThanWaitingForItself() throws Exception {
    try (RecoverableMemory region = create(Durability.PROCESS_CRASH)) {
      region.readLock().lock();
      try {
        assertThatThrownBy(region::begin)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("read lock");
        assertThatThrownBy(region::holdForCheckpoint)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("read lock");
      } finally {
        region.readLock().unlock();
      }
    }
  }

  @Test
  void aHoldWaitingForATransactionLeftOpenGivesWayToAnInterrupt() throws Exception {
    try (RecoverableMemory region = create(Durability.PROCESS_CRASH)) {
      CountDownLatch open = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      Thread owner =
          new Thread(
              () -> {
                try (Transaction tx = region.begin()) {
                  open.countDown();
                  done.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      owner.start();
      open.await();
      FutureTask<CheckpointHold> holding = new FutureTask<>(region::holdForCheckpoint);
      Thread holder = new Thread(holding);
      holder.start();
      holder.join(200);
      holder.interrupt();
      holder.join(10_000);
      done.countDown();
      owner.join(10_000);

      assertThatThrownBy(() -> holding.get(1, TimeUnit.SECONDS))
          .as("the interrupted hold")
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(InterruptedException.class);
    }
  }

  private static String openFiles() throws Exception {
    StringBuilder all = new StringBuilder();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          all.append(Files.readSymbolicLink(fd)).append('\n');
        } catch (Exception ignored) {
          // closed meanwhile
        }
      }
    }
    return all.toString();
  }
}
