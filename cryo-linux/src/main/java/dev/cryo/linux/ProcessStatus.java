package dev.cryo.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process's {@code /proc/PID/status}, a {@code Key:\tvalue} line per fact: its PIDs in nested PID
 * namespaces, its tracer, its user and group ids, its capabilities.
 */
public final class ProcessStatus {
  private final Map<String, String> fields;

  private ProcessStatus(Map<String, String> fields) {
    this.fields = fields;
  }

  /** The status of the process with this PID as /proc shows it, if there is one. */
  public static Optional<ProcessStatus> of(long pid) {
    return read(ProcFiles.of(pid).resolve("status"));
  }

  /** The status of the calling process, whichever PID namespace it is in. */
  public static Optional<ProcessStatus> self() {
    return read(ProcFiles.self().resolve("status"));
  }

  /** Reads a status file; empty if it cannot be read (the process has ended). */
  public static Optional<ProcessStatus> read(Path file) {
    return ProcFiles.lines(file, StandardCharsets.ISO_8859_1).map(ProcessStatus::parse);
  }

  /** Parses the lines of a status file; lines without a colon are skipped. */
  public static ProcessStatus parse(List<String> lines) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return new ProcessStatus(fields);
  }

  /** The value of a line, such as {@code VmRSS} or {@code State}, trimmed. */
  public Optional<String> field(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /**
   * The process's PIDs from the {@code NSpid} line, outermost (this namespace's) first and its own
   * (in its own PID namespace) last; empty where the kernel does not say (before Linux 4.1).
   */
  public List<Integer> namespacePids() {
    List<Integer> pids = new ArrayList<>();
    field("NSpid")
        .filter(v -> !v.isEmpty())
        .ifPresent(
            v -> {
              for (String pid : v.split("\\s+")) {
                pids.add(Integer.parseInt(pid));
              }
            });
    return pids;
  }

  /** The PID of the process tracing this one (as CRIU does while it dumps), 0 if none. */
  public int tracerPid() {
    return field("TracerPid").map(Integer::parseInt).orElse(0);
  }

  /** The user and group ids, from the {@code Uid:} and {@code Gid:} lines, if both are there. */
  public Optional<LinuxProcess.Ids> ids() {
    Optional<int[]> uids = field("Uid").map(ProcessStatus::firstThreeIds);
    Optional<int[]> gids = field("Gid").map(ProcessStatus::firstThreeIds);
    if (uids.isEmpty() || gids.isEmpty()) {
      return Optional.empty();
    }
    int[] u = uids.get();
    int[] g = gids.get();
    return Optional.of(new LinuxProcess.Ids(u[0], u[1], u[2], g[0], g[1], g[2]));
  }

  /**
   * The real, effective and saved id of a value such as {@code 0 0 0 0} (the fourth is the
   * filesystem id).
   */
  private static int[] firstThreeIds(String value) {
    String[] ids = value.split("\\s+");
    // Ids are unsigned: 4294967295 (-1, "no id") is read as -1 rather than overflow.
    return new int[] {
      Integer.parseUnsignedInt(ids[0]),
      Integer.parseUnsignedInt(ids[1]),
      Integer.parseUnsignedInt(ids[2])
    };
  }

  /**
   * The resident set size ({@code VmRSS}, given in kB), in bytes; empty for a zombie or a kernel
   * thread.
   */
  public OptionalLong residentBytes() {
    return field("VmRSS")
        .map(v -> OptionalLong.of(Long.parseLong(v.replaceAll("[^0-9]", "")) * 1024))
        .orElse(OptionalLong.empty());
  }

  /** The effective capability set ({@code CapEff}), as a bit mask; 0 if not given. */
  public long effectiveCapabilities() {
    return field("CapEff").map(v -> Long.parseUnsignedLong(v, 16)).orElse(0L);
  }
}
