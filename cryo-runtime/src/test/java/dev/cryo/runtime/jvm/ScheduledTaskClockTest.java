package dev.cryo.runtime.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.runtime.Resumption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Scheduled tasks across a checkpoint (the JDK packages are opened to the tests as the agent opens
 * them to the runtime): parked while it is taken, due again afterwards.
 */
class ScheduledTaskClockTest {

  @Test
  void queuedTasksDoNotFireDuringTheCheckpointAndAreDueAgainAfterIt() throws Exception {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try {
      AtomicBoolean soon = new AtomicBoolean();
      AtomicBoolean never = new AtomicBoolean();
      ScheduledFuture<?> soonTask =
          executor.schedule(() -> soon.set(true), 300, TimeUnit.MILLISECONDS);
      executor.schedule(() -> never.set(true), Long.MAX_VALUE, TimeUnit.NANOSECONDS);
      ScheduledTaskClock clock = new ScheduledTaskClock();

      clock.beforeCheckpoint();
      Thread.sleep(600);
      assertThat(soon.get()).as("a task due during the checkpoint waits for its end").isFalse();
      assertThat(soonTask.getDelay(TimeUnit.DAYS)).as("parked far ahead").isGreaterThan(365);

      clock.afterRestore(Resumption.RESUMED);
      soonTask.get(10, TimeUnit.SECONDS);

      assertThat(soon.get()).as("due again at its original time once resumed").isTrue();
      assertThat(never.get())
          .as("a task due 'never' is left alone, not overflowed into the past")
          .isFalse();
    } finally {
      executor.shutdownNow();
    }
  }
}
