package dev.cryo.supervisor;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Watches an ownership fence on a thread of its own while the supervisor is busy with a step that
 * may outlast the fence (a checkpoint waiting for its participants, a restore), so that a program
 * whose fence expires meanwhile is taken down within one poll, not once the step is over. It only
 * takes the program down, once; the supervisor records the run as fenced when the step ends.
 */
final class FenceWatch implements AutoCloseable {
  /** Watches nothing: for runs without a fence. */
  static final FenceWatch NONE = new FenceWatch(null);

  private final Thread thread;

  private FenceWatch(Thread thread) {
    this.thread = thread;
  }

  /**
   * Polls {@code expired} every {@code poll} until closed, and runs {@code takeDown} the first time
   * it says so.
   */
  static FenceWatch start(BooleanSupplier expired, Runnable takeDown, Duration poll) {
    Thread thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  Thread.sleep(poll.toMillis());
                  if (expired.getAsBoolean()) {
                    takeDown.run();
                    return;
                  }
                }
              } catch (InterruptedException e) {
                // Closed: the step is over.
              }
            },
            "cryo-fence-watch");
    thread.setDaemon(true);
    thread.start();
    return new FenceWatch(thread);
  }

  /** Stops watching, and waits for a take-down under way to finish. */
  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
