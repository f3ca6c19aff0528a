package dev.cryo.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Facts about this machine that decide whether an image can be taken or restored here: kernel, CPU
 * features, identity and privileges.
 */
public final class HostFacts {
  /** Bit numbers in the capability sets of /proc/PID/status. */
  static final int CAP_SYS_PTRACE = 19;

  static final int CAP_SYS_ADMIN = 21;
  static final int CAP_SYS_RESOURCE = 24;
  static final int CAP_CHECKPOINT_RESTORE = 40;

  private HostFacts() {}

  public static String hostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      return name.isEmpty() ? InetAddress.getLocalHost().getHostName() : name;
    } catch (IOException e) {
      return "unknown";
    }
  }

  public static String kernel() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (IOException e) {
      return System.getProperty("os.version");
    }
  }

  /** The CPU feature flags of the first processor; a restore needs a CPU with at least these. */
  public static List<String> cpuFlags() {
    return cpuFlags(cpuinfo());
  }

  static List<String> cpuFlags(List<String> cpuinfo) {
    return firstCpuinfoValue(cpuinfo, "flags", "Features")
        .map(flags -> Arrays.asList(flags.split("\\s+")))
        .orElse(List.of());
  }

  /** The first processor's model name, such as {@code Intel(R) Xeon(R) Processor}, if told. */
  public static Optional<String> cpuModel() {
    return cpuModel(cpuinfo());
  }

  static Optional<String> cpuModel(List<String> cpuinfo) {
    return firstCpuinfoValue(cpuinfo, "model name");
  }

  private static List<String> cpuinfo() {
    return ProcFiles.lines(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1).orElse(List.of());
  }

  /** The value of the first line of /proc/cpuinfo whose key is one of {@code keys}. */
  private static Optional<String> firstCpuinfoValue(List<String> cpuinfo, String... keys) {
    for (String line : cpuinfo) {
      int colon = line.indexOf(':');
      if (colon > 0 && Arrays.asList(keys).contains(line.substring(0, colon).trim())) {
        return Optional.of(line.substring(colon + 1).trim());
      }
    }
    return Optional.empty();
  }

  /** The effective user id of this process. */
  public static int effectiveUid() {
    try {
      return (Integer) Files.getAttribute(ProcFiles.self(), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
  }

  public static boolean isRoot() {
    return effectiveUid() == 0;
  }

  /** The effective capability set, as a bit mask. */
  public static long effectiveCapabilities() {
    try {
      return ProcessStatus.self().map(ProcessStatus::effectiveCapabilities).orElse(0L);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Whether this process may checkpoint and restore others: CAP_SYS_ADMIN, or
   * CAP_CHECKPOINT_RESTORE with CAP_SYS_PTRACE (Linux 5.9 and later).
   */
  public static boolean canCheckpoint(long capabilities) {
    boolean admin = (capabilities & (1L << CAP_SYS_ADMIN)) != 0;
    boolean cr =
        (capabilities & (1L << CAP_CHECKPOINT_RESTORE)) != 0
            && (capabilities & (1L << CAP_SYS_PTRACE)) != 0;
    return admin || cr;
  }

  /**
   * Whether a process with these capabilities may read the resource limits of a process of another
   * user or group: the kernel asks for CAP_SYS_RESOURCE, and CRIU reads them for every process it
   * dumps. Root in a container often runs without it.
   */
  public static boolean canReadResourceLimitsOfOthers(long capabilities) {
    return (capabilities & (1L << CAP_SYS_RESOURCE)) != 0;
  }

  /** The name of the user with this uid in /etc/passwd, if it has one there. */
  public static Optional<String> userName(int uid) {
    return nameOf(uid, Path.of("/etc/passwd"));
  }

  /** The name of the group with this gid in /etc/group, if it has one there. */
  public static Optional<String> groupName(int gid) {
    return nameOf(gid, Path.of("/etc/group"));
  }

  private static Optional<String> nameOf(int id, Path database) {
    try {
      return nameOf(id, Files.readAllLines(database, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The first name given {@code id} in lines of /etc/passwd or /etc/group ({@code
   * name:password:id:...}).
   */
  static Optional<String> nameOf(int id, List<String> database) {
    String wanted = Integer.toUnsignedString(id);
    for (String line : database) {
      String[] fields = line.split(":", -1);
      if (fields.length > 2 && fields[2].equals(wanted) && !fields[0].isEmpty()) {
        return Optional.of(fields[0]);
      }
    }
    return Optional.empty();
  }
}
