package dev.cryo.checkpoint;

import dev.cryo.linux.LinuxProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Stops a CRIU that can no longer finish a dump. When a process dies while CRIU holds it, CRIU
 * normally gives up on the dump at once; it has also been seen to wait for the dead process forever
 * (CRIU issues 162 and 2618), which keeps the rest of the tree frozen and its caller, a supervisor
 * perhaps, waiting with it. A process of the tree that stays a zombie traced by a CRIU this JVM
 * started for longer than {@link #GRACE} is that case: the watchdog kills that CRIU, and the dump
 * fails like any other. It watches only until every process has been dumped: the hang happens while
 * CRIU's code is still inside them.
 */
final class StuckDumpWatchdog {
  static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);

  /** What the watchdog needs to know of the processes, and the one thing it does to them. */
  interface ProcessTable {
    boolean isZombie(int pid);

    int tracerOf(int pid);

    /** Whether {@code pid} is a CRIU that this JVM started. */
    boolean isOurCriu(int pid);

    void kill(int pid);
  }

  private final List<Integer> tree;
  private final ProcessTable processes;
  private final Map<Integer, Long> heldDeadSinceNanos = new HashMap<>();
  private final Thread thread;
  private volatile int abandoned;
  private boolean stoodDown;

  private StuckDumpWatchdog(List<Integer> tree, ProcessTable processes) {
    this.tree = List.copyOf(tree);
    this.processes = processes;
    this.thread = new Thread(this::watch, "cryo-dump-watchdog");
    thread.setDaemon(true);
  }

  /**
   * A watchdog for the processes of {@code tree} on this host; it watches from {@link #start} until
   * closed.
   */
  static StuckDumpWatchdog of(List<Integer> tree) {
    return new StuckDumpWatchdog(tree, HOST);
  }

  void start() {
    thread.start();
  }

  /** A watchdog that looks only when {@link #check} is called: for tests of its decisions. */
  static StuckDumpWatchdog unstarted(List<Integer> tree, ProcessTable processes) {
    return new StuckDumpWatchdog(tree, processes);
  }

  /** The dead process CRIU was stopped for, if it had to be. */
  OptionalInt abandonedFor() {
    return abandoned == 0 ? OptionalInt.empty() : OptionalInt.of(abandoned);
  }

  /**
   * One look at the tree at {@code nowNanos}: kills the CRIU that has held a dead process for
   * longer than the grace. Returns whether watching is over: CRIU was killed, or the watchdog has
   * stood down.
   */
  synchronized boolean check(long nowNanos) {
    if (stoodDown) {
      return true;
    }
    for (int pid : tree) {
      int tracer = processes.isZombie(pid) ? processes.tracerOf(pid) : 0;
      if (tracer == 0 || !processes.isOurCriu(tracer)) {
        heldDeadSinceNanos.remove(pid);
        continue;
      }
      long since = heldDeadSinceNanos.computeIfAbsent(pid, p -> nowNanos);
      if (nowNanos - since >= GRACE.toNanos()) {
        abandoned = pid;
        processes.kill(tracer);
        return true;
      }
    }
    return false;
  }

  /**
   * From now on kills nothing: called at CRIU's post-dump hook, once every process has been dumped
   * and CRIU's code has left them. Stopping CRIU after that point could lose images whose processes
   * CRIU is about to end.
   */
  synchronized void standDown() {
    stoodDown = true;
  }

  private void watch() {
    try {
      while (!check(System.nanoTime())) {
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      // Closed: the dump is over.
    }
  }

  /** Stops watching; a watchdog never started has nothing to stop. */
  void close() {
    thread.interrupt();
  }

  private static final ProcessTable HOST =
      new ProcessTable() {
        @Override
        public boolean isZombie(int pid) {
          return LinuxProcess.of(pid).map(LinuxProcess::isZombie).orElse(false);
        }

        @Override
        public int tracerOf(int pid) {
          return LinuxProcess.tracerOf(pid);
        }

        @Override
        public boolean isOurCriu(int pid) {
          return LinuxProcess.of(pid)
              .filter(p -> p.parent() == ProcessHandle.current().pid() && p.name().equals("criu"))
              .isPresent();
        }

        @Override
        public void kill(int pid) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      };
}
