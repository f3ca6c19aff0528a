package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.criu.StoppedProcesses;
import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.TcpSockets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The processes of the host as checkpoint and restore read them: whether one runs, its tree, its
 * listening ports, its participants. The seam where a test puts a table of made-up processes, so
 * that the decisions built on these facts are checked without root and without real processes.
 */
interface ProcessTable {
  /** The host's processes, read from /proc. */
  ProcessTable HOST = new Host();

  /**
   * A process that runs (not a zombie), as a checkpoint of its tree records it; empty if there is
   * none.
   */
  Optional<TreeRoot> running(int pid);

  /** The process and its descendants, root first; just the root once it has ended. */
  List<Integer> tree(int root);

  /** Whether a process with this PID exists and has not ended. */
  boolean isRunning(int pid);

  /**
   * The process that holds {@code pid}, ended or not, if any: what a restore into that PID meets.
   */
  Optional<PidHolder> holderOf(int pid);

  /** The TCP ports the processes of {@code tree} listen on. */
  Set<Integer> listeningPorts(List<Integer> tree);

  /**
   * Refuses a tree of which CRIU could not read every process's resource limits (see {@link
   * ResourceLimitAccess}).
   */
  void requireResourceLimitsReadable(int root, List<Integer> tree) throws CriuException;

  /**
   * The processes of {@code tree} that take part in checkpoint {@code checkpointId} through the
   * protocol.
   */
  CheckpointParticipants participantsIn(
      List<Integer> tree, String checkpointId, Consumer<String> notices);

  /** A watchdog over the dump of {@code tree}, not yet started. */
  StuckDumpWatchdog watchdogFor(List<Integer> tree);

  /** Continues the stopped processes of a tree (SIGCONT), parents first. */
  void continueAll(List<Integer> tree);

  /** Kills every process of a tree (SIGKILL). */
  void killAll(List<Integer> tree);

  /**
   * The root of a tree to checkpoint, as it was when the checkpoint began.
   *
   * @param selfOrAncestor whether it is this process or one of its ancestors, which cannot be
   *     dumped from inside
   * @param pidNamespaceInit whether it is the init of its own PID namespace
   */
  record TreeRoot(
      int pid,
      List<String> command,
      int session,
      int processGroup,
      boolean selfOrAncestor,
      boolean pidNamespaceInit) {
    /**
     * Whether the tree belongs to a session or process group led from outside it (see {@link
     * LinuxProcess#isShellJob}).
     */
    boolean isShellJob(List<Integer> tree) {
      return !tree.contains(session) || !tree.contains(processGroup);
    }
  }

  /** The process found holding a PID: its name, and whether it has ended but not been reaped. */
  record PidHolder(String name, boolean zombie) {}

  /** {@link #HOST}. */
  final class Host implements ProcessTable {
    private Host() {}

    @Override
    public Optional<TreeRoot> running(int pid) {
      return LinuxProcess.of(pid)
          .filter(p -> !p.isZombie())
          .map(
              p ->
                  new TreeRoot(
                      p.pid(),
                      p.command(),
                      p.session(),
                      p.processGroup(),
                      p.isSelfOrAncestor(),
                      p.isPidNamespaceInit()));
    }

    @Override
    public List<Integer> tree(int root) {
      return LinuxProcess.of(root).map(LinuxProcess::tree).orElse(List.of(root));
    }

    @Override
    public boolean isRunning(int pid) {
      return LinuxProcess.isRunning(pid);
    }

    @Override
    public Optional<PidHolder> holderOf(int pid) {
      return LinuxProcess.of(pid).map(p -> new PidHolder(p.name(), p.isZombie()));
    }

    @Override
    public Set<Integer> listeningPorts(List<Integer> tree) {
      return TcpSockets.listeningPorts(tree);
    }

    @Override
    public void requireResourceLimitsReadable(int root, List<Integer> tree) throws CriuException {
      ResourceLimitAccess.requireFor(root, tree);
    }

    @Override
    public CheckpointParticipants participantsIn(
        List<Integer> tree, String checkpointId, Consumer<String> notices) {
      return Participants.in(tree, checkpointId, notices);
    }

    @Override
    public StuckDumpWatchdog watchdogFor(List<Integer> tree) {
      return StuckDumpWatchdog.of(tree);
    }

    @Override
    public void continueAll(List<Integer> tree) {
      StoppedProcesses.continueAll(tree);
    }

    @Override
    public void killAll(List<Integer> tree) {
      tree.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }
}
