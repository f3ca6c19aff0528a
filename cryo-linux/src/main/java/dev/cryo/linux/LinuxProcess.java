package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A process as /proc describes it: what Cryo needs to know before checkpointing it (its session,
 * its children) and before restoring over its PID.
 */
public record LinuxProcess(
    int pid,
    String name,
    char state,
    int parent,
    int processGroup,
    int session,
    long startTime,
    List<String> command) {

  /** The process with this PID, if there is one (zombies included). */
  public static Optional<LinuxProcess> of(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      Optional<ProcessStat> stat = ProcessStat.of(pid);
      if (stat.isEmpty()) {
        return Optional.empty();
      }
      ProcessStat s = stat.get();
      return Optional.of(
          new LinuxProcess(
              s.pid(),
              s.name(),
              s.state(),
              s.parent(),
              s.processGroup(),
              s.session(),
              s.startTime(),
              readCommandLine(ProcFiles.of(pid))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Whether a process with this PID exists and has not ended (a zombie has ended). */
  public static boolean isRunning(int pid) {
    return of(pid).filter(p -> !p.isZombie()).isPresent();
  }

  /**
   * The PID of the process tracing {@code pid} (as CRIU does while it dumps), or 0 if none or
   * unknown.
   */
  public static int tracerOf(int pid) {
    try {
      return ProcessStatus.of(pid).map(ProcessStatus::tracerPid).orElse(0);
    } catch (RuntimeException e) {
      return 0; // a status this code cannot read: traced by nobody it knows of
    }
  }

  /**
   * The user and group ids of a process, as the {@code Uid:} and {@code Gid:} lines of
   * /proc/PID/status give them (mapped into this process's user namespace): the real one, the
   * effective one it acts with, and the saved one it may switch back to.
   */
  public record Ids(
      int realUid, int effectiveUid, int savedUid, int realGid, int effectiveGid, int savedGid) {}

  /** The ids of the process with this PID, if it is there and /proc says them. */
  public static Optional<Ids> idsOf(int pid) {
    try {
      return ProcessStatus.of(pid).flatMap(ProcessStatus::ids);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The user namespace the process with this PID is in (the target of /proc/PID/ns/user, such as
   * {@code user:[4026531837]}), if it can be read.
   */
  public static Optional<String> userNamespaceOf(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(ProcFiles.of(pid).resolve("ns/user")).toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static List<String> readCommandLine(Path dir) throws IOException {
    byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
    if (raw.length == 0) {
      return List.of();
    }
    String text = new String(raw, StandardCharsets.UTF_8);
    if (text.endsWith("\0")) {
      text = text.substring(0, text.length() - 1);
    }
    return Arrays.asList(text.split("\0", -1));
  }

  /**
   * Whether this process is the init (PID 1) of a PID namespace below this one, as the programs
   * {@code cryo run} starts are.
   */
  public boolean isPidNamespaceInit() {
    return NamespacePids.innermost(pid).orElse(pid) == 1 && pid != 1;
  }

  public boolean isZombie() {
    return state == 'Z' || state == 'X';
  }

  /** This process and all its descendants, root first. */
  public List<Integer> tree() {
    Set<Integer> seen = new LinkedHashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(List.of(pid));
    while (!todo.isEmpty()) {
      int p = todo.removeFirst();
      if (seen.add(p)) {
        todo.addAll(children(p));
      }
    }
    return new ArrayList<>(seen);
  }

  /** The process's children, in no particular order. */
  public List<Integer> children() {
    return children(pid);
  }

  private static List<Integer> children(int pid) {
    List<Integer> result = new ArrayList<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(ProcFiles.of(pid).resolve("task"))) {
      for (Path task : tasks) {
        String text =
            Files.readString(task.resolve("children"), StandardCharsets.ISO_8859_1).trim();
        if (!text.isEmpty()) {
          for (String c : text.split("\\s+")) {
            result.add(Integer.parseInt(c));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process went away while we looked: it has no children any more.
    }
    return result;
  }

  /**
   * Whether the tree belongs to a session or process group led from outside it, as a job started
   * from an interactive shell does. CRIU must then treat the terminal and the leader as external.
   */
  public boolean isShellJob(List<Integer> tree) {
    return !tree.contains(session) || !tree.contains(processGroup);
  }

  /**
   * Whether this process is the calling JVM or one of its ancestors (dumping it would end Cryo).
   */
  public boolean isSelfOrAncestor() {
    return isSelfOrAncestor(pid, ProcessHandle.current().pid());
  }

  /**
   * Whether {@code candidate} is {@code pid} or one of its ancestors, walking up from {@code pid}
   * through its parents as /proc shows them. False if {@code pid} has ended.
   */
  public static boolean isSelfOrAncestor(long candidate, long pid) {
    return ancestry(pid).contains(candidate);
  }

  /**
   * {@code pid} and its ancestors, nearest first, as far up as this PID namespace sees; empty if it
   * has ended.
   */
  public static List<Long> ancestry(long pid) {
    List<Long> line = new ArrayList<>();
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    while (p.isPresent()) {
      line.add(p.get().pid());
      p = p.get().parent();
    }
    return line;
  }

  /**
   * The user who owns the process with this PID (the owner of its /proc directory), whom the kernel
   * lets act on it. Throws if the process has ended.
   */
  public static UserPrincipal ownerOf(long pid) throws IOException {
    return Files.getOwner(ProcFiles.of(pid));
  }

  /** The user who owns the calling process; see {@link #ownerOf}. */
  public static UserPrincipal ownerOfSelf() throws IOException {
    return Files.getOwner(ProcFiles.self());
  }
}
