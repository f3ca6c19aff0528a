package dev.cryo.supervisor;

import java.time.Duration;
import java.util.Optional;

/**
 * What the supervisor asks of the host's processes: whether its program still runs, how it ended,
 * and ending it. An interface so that its decisions can be tested without real processes; {@link
 * LinuxProgramProcesses} is the host's.
 */
interface ProgramProcesses {
  /** Adopts orphaned descendants from now on. Returns false if the kernel refused. */
  boolean becomeSubreaper();

  /** The tree whose init has {@code initPid}, once its program has started; empty if it is gone. */
  Optional<ProgramTree> tree(int initPid);

  /** Whether the tree's init still runs, and is the same process. */
  boolean isAlive(ProgramTree program);

  /** Whether the program itself still runs, below an init that does. */
  boolean programRuns(ProgramTree program);

  /** How {@code pid} ended, if it is a child of the supervisor that has ended; reaps it. */
  Optional<ExitStatus> reap(int pid);

  /** Waits until {@code pid} ends or {@code timeout} has passed, whichever comes first. */
  void awaitExit(int pid, Duration timeout);

  /** Kills what is left of a restored tree that brought back no program, and reaps it. */
  void discard(int restoredInit);

  /** Stops the program: asks it to end, and after {@code grace} ends its whole namespace. */
  void stop(ProgramTree program, Duration grace);

  /** Ends the program's whole namespace at once (SIGKILL to its init), and reaps the init. */
  void kill(ProgramTree program);
}
