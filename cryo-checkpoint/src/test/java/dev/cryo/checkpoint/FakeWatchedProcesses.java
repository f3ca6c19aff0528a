package dev.cryo.checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Made-up processes as the stuck-dump watchdog sees them: which are zombies, who traces them, and
 * which CRIU is ours. Shared by the watchdog's own tests and the fake process table of the
 * checkpoint tests, so that both speak of the same CRIU.
 */
final class FakeWatchedProcesses implements StuckDumpWatchdog.ProcessTable {
  /** The PID of the CRIU that dumps, as the watchdog sees it. */
  static final int OUR_CRIU = 900;

  /** Processes that have ended while a tracer held them, and the tracer that holds each. */
  final Map<Integer, Integer> zombiesTracedBy = new HashMap<>();

  /** The processes the watchdog killed, in order. */
  final List<Integer> killed = new ArrayList<>();

  /** {@code pid} has ended and our CRIU holds it. */
  void heldDeadByOurCriu(int pid) {
    zombiesTracedBy.put(pid, OUR_CRIU);
  }

  /** Whoever held {@code pid} has let go of it. */
  void letGo(int pid) {
    zombiesTracedBy.remove(pid);
  }

  @Override
  public boolean isZombie(int pid) {
    return zombiesTracedBy.containsKey(pid);
  }

  @Override
  public int tracerOf(int pid) {
    return zombiesTracedBy.getOrDefault(pid, 0);
  }

  @Override
  public boolean isOurCriu(int pid) {
    return pid == OUR_CRIU;
  }

  @Override
  public void kill(int pid) {
    killed.add(pid);
  }
}
