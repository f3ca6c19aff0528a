package dev.cryo.linux;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The PID a process has in its own PID namespace, which is what it calls itself (and names its
 * control socket by), as opposed to the PID this process sees. The two differ for programs that
 * {@code cryo run} starts in a PID namespace, where they stay the same across restores.
 */
public final class NamespacePids {
  private NamespacePids() {}

  /**
   * The last {@code NSpid} entry of {@code /proc/PID/status}: {@code pid} itself for a process of
   * this PID namespace, empty when the process is gone.
   */
  public static OptionalInt innermost(int pid) {
    try {
      Optional<ProcessStatus> status = ProcessStatus.of(pid);
      if (status.isEmpty()) {
        return OptionalInt.empty();
      }
      List<Integer> pids = status.get().namespacePids();
      return OptionalInt.of(pids.isEmpty() ? pid : pids.get(pids.size() - 1));
    } catch (RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Whether the calling process's PID namespace is below another one ({@code NSpid} lists several
   * PIDs).
   */
  public static boolean selfInNestedNamespace() {
    try {
      return ProcessStatus.self().map(s -> s.namespacePids().size() > 1).orElse(false);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
