package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
public record LinuxProcess(int pid, String name, char state, int parent, int processGroup, int session,
    long startTime, List<String> command) {
  private static final Path PROC = Path.of("/proc");

  /** The process with this PID, if there is one (zombies included). */
  public static Optional<LinuxProcess> of(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    Path dir = PROC.resolve(Integer.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
      List<String> command = readCommandLine(dir);
      return Optional.of(parseStat(stat, command));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether a process with this PID exists and has not ended (a zombie has ended). */
  public static boolean isRunning(int pid) {
    return of(pid).filter(p -> !p.isZombie()).isPresent();
  }

  /** The PID of the process tracing {@code pid} (as CRIU does while it dumps), or 0 if none or unknown. */
  public static int tracerOf(int pid) {
    try {
      for (String line : Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("TracerPid:")) {
          return Integer.parseInt(line.substring("TracerPid:".length()).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone: traced by nobody.
    }
    return 0;
  }

  /**
   * The user and group ids of a process, as the {@code Uid:} and {@code Gid:} lines of
   * /proc/PID/status give them (mapped into this process's user namespace): the real one, the
   * effective one it acts with, and the saved one it may switch back to.
   */
  public record Ids(int realUid, int effectiveUid, int savedUid, int realGid, int effectiveGid, int savedGid) {
  }

  /** The ids of the process with this PID, if it is there and /proc says them. */
  public static Optional<Ids> idsOf(int pid) {
    try {
      return parseIds(Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static Optional<Ids> parseIds(List<String> status) {
    int[] uids = null;
    int[] gids = null;
    for (String line : status) {
      if (line.startsWith("Uid:")) {
        uids = firstThreeIds(line);
      } else if (line.startsWith("Gid:")) {
        gids = firstThreeIds(line);
      }
    }
    if (uids == null || gids == null) {
      return Optional.empty();
    }
    return Optional.of(new Ids(uids[0], uids[1], uids[2], gids[0], gids[1], gids[2]));
  }

  /** The real, effective and saved id of a line such as {@code Uid:  0  0  0  0} (the fourth is the filesystem id). */
  private static int[] firstThreeIds(String line) {
    String[] fields = line.substring(4).trim().split("\\s+");
    // Ids are unsigned: 4294967295 (-1, "no id") is read as -1 rather than overflow.
    return new int[] {Integer.parseUnsignedInt(fields[0]), Integer.parseUnsignedInt(fields[1]),
        Integer.parseUnsignedInt(fields[2])};
  }

  /**
   * The user namespace the process with this PID is in (the target of /proc/PID/ns/user, such as
   * {@code user:[4026531837]}), if it can be read.
   */
  public static Optional<String> userNamespaceOf(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(PROC.resolve(pid + "/ns/user")).toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses /proc/PID/stat, whose second field (the name) may hold spaces and parentheses. */
  static LinuxProcess parseStat(String stat, List<String> command) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    int pid = Integer.parseInt(stat.substring(0, open).trim());
    String name = stat.substring(open + 1, close);
    String[] rest = stat.substring(close + 2).trim().split(" ");
    // After the name: state (field 3), ppid, pgrp, session, ... starttime (field 22).
    return new LinuxProcess(pid, name, rest[0].charAt(0), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]),
        Integer.parseInt(rest[3]), Long.parseLong(rest[19]), command);
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
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
      for (Path task : tasks) {
        String text = Files.readString(task.resolve("children"), StandardCharsets.ISO_8859_1).trim();
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

  /** Whether this process is the calling JVM or one of its ancestors (dumping it would end Cryo). */
  public boolean isSelfOrAncestor() {
    Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
    while (p.isPresent()) {
      if (p.get().pid() == pid) {
        return true;
      }
      p = p.get().parent();
    }
    return false;
  }
}
