package dev.cryo.runtime.jvm;

import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Keeps {@link ScheduledThreadPoolExecutor} tasks on time across a restore. Their due times are
 * {@link System#nanoTime} readings, and outside a time namespace the monotonic clock of a restored
 * process has moved on by however long the image waited: a task due five seconds after the
 * checkpoint would fire at once. Before the dump, every queued task is parked far in the future (so
 * none fires in the moments between the restore and this resource's turn); after a restore, each is
 * due again as long after the restore as it was after the checkpoint; after a resume, at its
 * original time.
 *
 * <p>The executors are found through their worker threads, which needs {@code java.lang} and {@code
 * java.util.concurrent} opened to the runtime: the agent does that; as a library without the agent,
 * this resource does nothing and says so once. Spring's task scheduler, {@code
 * Executors.newScheduledThreadPool} and {@code CompletableFuture.delayedExecutor} all use this
 * executor. {@link java.util.Timer} is wall-clock based and out of scope.
 */
public final class ScheduledTaskClock implements CheckpointResource {
  /**
   * How far parked tasks are moved: 2^60 ns, about 36 years, far from overflow for boot-relative
   * readings.
   */
  private static final long PARK_NANOS = 1L << 60;

  /**
   * Tasks further away than this (2^61 ns, 73 years) are not parked: moving them could overflow.
   */
  private static final long NEVER_NANOS = 1L << 61;

  private final Map<Object, Long> parked = new IdentityHashMap<>();
  private long checkpointNanos;
  private boolean unavailableReported;

  @Override
  public synchronized void beforeCheckpoint() {
    parked.clear();
    checkpointNanos = System.nanoTime();
    Access access = Access.get();
    if (access == null) {
      reportUnavailable();
      return;
    }
    for (ScheduledThreadPoolExecutor executor : access.scheduledExecutors()) {
      access.retime(
          executor,
          task -> {
            long due = access.dueTime(task);
            // Due times may wrap around (the executor compares differences): judge by the delay.
            if (due - checkpointNanos > NEVER_NANOS) {
              return due; // due practically never ("Long.MAX_VALUE nanoseconds"): leave it be
            }
            parked.put(task, due);
            return due + PARK_NANOS;
          });
    }
    if (!parked.isEmpty()) {
      RuntimeLog.debug("parked " + parked.size() + " scheduled tasks for the checkpoint");
    }
  }

  @Override
  public synchronized void afterRestore(Resumption resumption) {
    Access access = Access.get();
    if (access == null || parked.isEmpty()) {
      return;
    }
    long shift = resumption == Resumption.RESTORED ? System.nanoTime() - checkpointNanos : 0;
    for (ScheduledThreadPoolExecutor executor : access.scheduledExecutors()) {
      access.retime(
          executor,
          task -> {
            Long original = parked.get(task);
            return original == null ? access.dueTime(task) : original + shift;
          });
    }
    parked.clear();
  }

  private void reportUnavailable() {
    if (!unavailableReported) {
      unavailableReported = true;
      RuntimeLog.info(
          "scheduled tasks are not re-timed across restores: run with -javaagent:cryo-runtime.jar "
              + "(or --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util.concurrent=ALL-UNNAMED)");
    }
  }

  /**
   * The reflective reach into the JDK this needs, found once; null where the JDK does not allow it.
   */
  private static final class Access {
    private static volatile Access instance;
    private static volatile boolean probed;

    private final Field threadTarget;
    private final Field holderTask;
    private final Class<?> workerClass;
    private final Field workerExecutor;
    private final Class<?> taskClass;
    private final Field taskTime;
    private final Field queueLock;

    private Access() throws ReflectiveOperationException {
      Field target = findField(Thread.class, "target");
      if (target != null) {
        threadTarget = accessible(target);
        holderTask = null;
      } else {
        threadTarget = accessible(Thread.class.getDeclaredField("holder"));
        holderTask = accessible(threadTarget.getType().getDeclaredField("task"));
      }
      workerClass = Class.forName("java.util.concurrent.ThreadPoolExecutor$Worker");
      workerExecutor = accessible(workerClass.getDeclaredField("this$0"));
      taskClass =
          Class.forName("java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask");
      taskTime = accessible(taskClass.getDeclaredField("time"));
      Class<?> queueClass =
          Class.forName("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue");
      queueLock = accessible(queueClass.getDeclaredField("lock"));
    }

    static Access get() {
      if (!probed) {
        synchronized (Access.class) {
          if (!probed) {
            try {
              instance = new Access();
            } catch (ReflectiveOperationException | RuntimeException e) {
              RuntimeLog.debug("scheduled-task re-timing unavailable: " + e);
            }
            probed = true;
          }
        }
      }
      return instance;
    }

    List<ScheduledThreadPoolExecutor> scheduledExecutors() {
      Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      List<ScheduledThreadPoolExecutor> executors = new ArrayList<>();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        try {
          Object target = threadTarget.get(thread);
          if (holderTask != null && target != null) {
            target = holderTask.get(target);
          }
          if (workerClass.isInstance(target)) {
            ThreadPoolExecutor executor = (ThreadPoolExecutor) workerExecutor.get(target);
            if (executor instanceof ScheduledThreadPoolExecutor scheduled && seen.add(scheduled)) {
              executors.add(scheduled);
            }
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      return executors;
    }

    long dueTime(Object task) {
      try {
        return taskTime.getLong(task);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Gives each queued task a new due time. Tasks leave and re-enter the queue one by one under
     * its lock, so the queue's ordering holds and a waiting worker wakes for a new head.
     */
    void retime(ScheduledThreadPoolExecutor executor, ToLongFunction<Object> newTime) {
      BlockingQueue<Runnable> queue = executor.getQueue();
      ReentrantLock lock;
      try {
        lock = (ReentrantLock) queueLock.get(queue);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      lock.lock();
      try {
        for (Runnable task : new ArrayList<>(queue)) {
          if (taskClass.isInstance(task) && queue.remove(task)) {
            taskTime.setLong(task, newTime.applyAsLong(task));
            queue.add(task);
          }
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } finally {
        lock.unlock();
      }
    }

    private static Field findField(Class<?> type, String name) {
      try {
        return type.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        return null;
      }
    }

    private static Field accessible(Field field) {
      field.setAccessible(true);
      return field;
    }
  }

  @Override
  public String toString() {
    return "cryo scheduled-task clock";
  }
}
