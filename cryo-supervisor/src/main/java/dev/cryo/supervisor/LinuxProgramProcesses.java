package dev.cryo.supervisor;

import java.time.Duration;
import java.util.Optional;

/** The host's processes, as /proc, waitpid and signals show and reach them. */
final class LinuxProgramProcesses implements ProgramProcesses {
  static final LinuxProgramProcesses INSTANCE = new LinuxProgramProcesses();

  private LinuxProgramProcesses() {}

  @Override
  public boolean becomeSubreaper() {
    return ChildReaper.becomeSubreaper();
  }

  @Override
  public Optional<ProgramTree> tree(int initPid) {
    return ProgramTree.of(initPid);
  }

  @Override
  public boolean isAlive(ProgramTree program) {
    return program.isAlive();
  }

  @Override
  public boolean programRuns(ProgramTree program) {
    return program.programRuns();
  }

  @Override
  public Optional<ExitStatus> reap(int pid) {
    return ChildReaper.reap(pid);
  }

  @Override
  public void awaitExit(int pid, Duration timeout) {
    ChildReaper.awaitExit(pid, timeout);
  }

  /**
   * As the subreaper of restored trees the supervisor would otherwise keep the zombie for as long
   * as it runs.
   */
  @Override
  public void discard(int restoredInit) {
    ProcessHandle.of(restoredInit).ifPresent(ProcessHandle::destroyForcibly);
    ChildReaper.awaitExit(restoredInit, Duration.ofSeconds(5));
    ChildReaper.reap(restoredInit);
  }

  /** The kernel ends every process of a PID namespace whose init ends. */
  @Override
  public void kill(ProgramTree program) {
    if (program.isAlive()) {
      ProcessHandle.of(program.initPid()).ifPresent(ProcessHandle::destroyForcibly);
      ChildReaper.awaitExit(program.initPid(), Duration.ofSeconds(5));
    }
    ChildReaper.reap(program.initPid());
  }

  @Override
  public void stop(ProgramTree program, Duration grace) {
    ProgramStopper.stop(program, grace);
  }
}
