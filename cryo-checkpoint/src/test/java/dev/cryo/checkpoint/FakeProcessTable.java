package dev.cryo.checkpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Made-up processes: trees of PIDs that run until a test ends them, the participants among them,
 * and the processes that hold PIDs a restore needs. PIDs are far above any real one.
 */
final class FakeProcessTable implements ProcessTable {
  final Set<Integer> running = new HashSet<>();
  final Map<Integer, List<Integer>> trees = new HashMap<>();
  final Map<Integer, PidHolder> holders = new HashMap<>();

  /** Looks taken by the holders a restore meets, one call of {@link #holderOf} each. */
  final Map<Integer, List<Optional<PidHolder>>> holdersOverTime = new HashMap<>();

  FakeParticipants participants = new FakeParticipants(List.of());

  /** The processes as the watchdog of a dump sees them. */
  final FakeWatchedProcesses watched = new FakeWatchedProcesses();

  /** The watchdog of the latest dump. */
  StuckDumpWatchdog watchdog;

  /** Every process continued, and every process killed, in order. */
  final List<Integer> continued = new ArrayList<>();

  final List<Integer> killed = new ArrayList<>();

  /** A tree of processes that all run, {@code pids[0]} its root. */
  FakeProcessTable withTree(Integer... pids) {
    trees.put(pids[0], List.of(pids));
    running.addAll(List.of(pids));
    return this;
  }

  void end(int pid) {
    running.remove(pid);
  }

  @Override
  public Optional<TreeRoot> running(int pid) {
    return running.contains(pid)
        ? Optional.of(new TreeRoot(pid, List.of("java", "-jar", "app.jar"), pid, pid, false, false))
        : Optional.empty();
  }

  @Override
  public List<Integer> tree(int root) {
    List<Integer> tree = new ArrayList<>(trees.getOrDefault(root, List.of(root)));
    tree.removeIf(pid -> pid != root && !running.contains(pid));
    return tree;
  }

  @Override
  public boolean isRunning(int pid) {
    return running.contains(pid);
  }

  @Override
  public Optional<PidHolder> holderOf(int pid) {
    List<Optional<PidHolder>> overTime = holdersOverTime.get(pid);
    if (overTime != null && !overTime.isEmpty()) {
      return overTime.remove(0);
    }
    return Optional.ofNullable(holders.get(pid));
  }

  @Override
  public Set<Integer> listeningPorts(List<Integer> tree) {
    return Set.of();
  }

  @Override
  public void requireResourceLimitsReadable(int root, List<Integer> tree) {}

  @Override
  public CheckpointParticipants participantsIn(
      List<Integer> tree, String checkpointId, Consumer<String> notices) {
    return participants;
  }

  @Override
  public StuckDumpWatchdog watchdogFor(List<Integer> tree) {
    watchdog = StuckDumpWatchdog.unstarted(tree, watched);
    return watchdog;
  }

  /** A clock that the restore's waits move on at once. */
  static final class FakeClock implements TimeSource {
    long nanos;

    @Override
    public Instant now() {
      return Instant.ofEpochSecond(1_767_225_600L).plusNanos(nanos);
    }

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public void sleep(Duration duration) {
      nanos += duration.toNanos();
    }
  }

  @Override
  public void continueAll(List<Integer> tree) {
    continued.addAll(tree);
  }

  @Override
  public void killAll(List<Integer> tree) {
    killed.addAll(tree);
    tree.forEach(running::remove);
  }
}
