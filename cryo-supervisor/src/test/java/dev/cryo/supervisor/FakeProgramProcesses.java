package dev.cryo.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Processes that exist only as the test says: started, ended, reaped, stopped. */
final class FakeProgramProcesses implements ProgramProcesses {
  private final FakeTimeSource ticker;
  private final Map<Integer, ProgramTree> running = new HashMap<>();
  private final Map<Integer, ExitStatus> endedUnreaped = new HashMap<>();
  private final List<Integer> discarded = new ArrayList<>();
  private final List<Integer> killed = new ArrayList<>();
  private int nextPid = 100;

  FakeProgramProcesses(FakeTimeSource ticker) {
    this.ticker = ticker;
  }

  /** A new namespace init with the program below it. */
  ProgramTree spawn() {
    ProgramTree tree = new ProgramTree(nextPid, nextPid, nextPid + 1);
    nextPid += 10;
    running.put(tree.initPid(), tree);
    return tree;
  }

  /** A namespace init alone, as a checkpoint taken while its program ended restores. */
  ProgramTree spawnInitAlone() {
    ProgramTree tree = new ProgramTree(nextPid, nextPid, nextPid);
    nextPid += 10;
    running.put(tree.initPid(), tree);
    return tree;
  }

  /** The program's whole tree ends, and its init waits to be reaped. */
  void end(int initPid, ExitStatus status) {
    running.remove(initPid);
    endedUnreaped.put(initPid, status);
  }

  /** The tree the supervisor watches now. */
  ProgramTree onlyRunning() {
    if (running.size() != 1) {
      throw new IllegalStateException("expected one program running, found " + running.values());
    }
    return running.values().iterator().next();
  }

  /** The inits killed and reaped after a restore that brought back no program. */
  List<Integer> discarded() {
    return discarded;
  }

  @Override
  public boolean becomeSubreaper() {
    return true;
  }

  @Override
  public Optional<ProgramTree> tree(int initPid) {
    return Optional.ofNullable(running.get(initPid));
  }

  @Override
  public boolean isAlive(ProgramTree program) {
    return running.containsKey(program.initPid());
  }

  @Override
  public boolean programRuns(ProgramTree program) {
    return isAlive(program) && program.hasProgram();
  }

  @Override
  public Optional<ExitStatus> reap(int pid) {
    return Optional.ofNullable(endedUnreaped.remove(pid));
  }

  @Override
  public void awaitExit(int pid, Duration timeout) {
    ticker.sleep(timeout);
  }

  @Override
  public void discard(int restoredInit) {
    running.remove(restoredInit);
    discarded.add(restoredInit);
  }

  @Override
  public void kill(ProgramTree program) {
    if (running.remove(program.initPid()) != null) {
      killed.add(program.initPid());
    }
  }

  /** The inits killed outright, their namespaces with them. */
  List<Integer> killed() {
    return killed;
  }

  @Override
  public void stop(ProgramTree program, Duration grace) {
    if (running.remove(program.initPid()) != null) {
      endedUnreaped.put(program.initPid(), ExitStatus.fromShell(128 + 15));
    }
  }
}
