package dev.cryo.supervisor;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.NamespacePids;
import java.util.List;
import java.util.Optional;

/**
 * A supervised program as it runs: the init of its PID namespace (what is checkpointed) and the
 * program itself, the init's child. The init's start time tells it apart from a later process that
 * got the same PID.
 *
 * @param initPid the namespace init's PID on this host
 * @param initStartTime its start time, from /proc
 * @param mainPid the program's PID on this host
 */
public record ProgramTree(int initPid, long initStartTime, int mainPid) {

  /** The tree whose init has {@code initPid}, once its program has started; empty if it is gone. */
  static Optional<ProgramTree> of(int initPid) {
    Optional<LinuxProcess> init = LinuxProcess.of(initPid).filter(p -> !p.isZombie());
    if (init.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> children = init.get().children();
    // The program is the init's first child, PID 2 in the namespace; other children are orphans
    // the init adopted.
    int main =
        children.stream()
            .filter(c -> NamespacePids.innermost(c).orElse(-1) == 2)
            .findFirst()
            .orElse(
                children.isEmpty()
                    ? initPid
                    : children.stream().mapToInt(Integer::intValue).min().getAsInt());
    return Optional.of(new ProgramTree(initPid, init.get().startTime(), main));
  }

  public static ProgramTree of(RunState state) {
    return new ProgramTree(state.initPid(), state.initStartTime(), state.mainPid());
  }

  /** Whether the init has a program below it; without, the program has ended or not yet started. */
  boolean hasProgram() {
    return mainPid != initPid;
  }

  /** Whether the program itself still runs (not a zombie), below an init that does. */
  boolean programRuns() {
    return isAlive() && LinuxProcess.isRunning(mainPid);
  }

  /** Whether the init still runs (a zombie has ended), and is the same process. */
  public boolean isAlive() {
    return LinuxProcess.of(initPid)
        .filter(p -> !p.isZombie() && p.startTime() == initStartTime)
        .isPresent();
  }
}
