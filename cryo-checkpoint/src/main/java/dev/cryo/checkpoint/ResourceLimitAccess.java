package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.linux.HostFacts;
import dev.cryo.linux.LinuxProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Whether CRIU may read the resource limits of every process of a tree, which it does for each
 * process it dumps. The kernel allows it only if the process's real, effective and saved user ids
 * all equal the reader's real user id, and its real, effective and saved group ids the reader's
 * real group id, or if the reader has CAP_SYS_RESOURCE in the process's user namespace. Root in a
 * container that drops CAP_SYS_RESOURCE therefore cannot checkpoint a tree in which a process runs
 * as another user (a server whose workers run as nobody or www-data), and CRIU says only "Can't get
 * rlimit 0: Operation not permitted", after it has frozen the tree.
 *
 * <p>This class refuses such a checkpoint before anything is frozen or told, with a line that names
 * the process, its user and the missing capability, and says what to do; and it explains CRIU's
 * message in the same words should a dump fail that way all the same (a process that changed its
 * user meanwhile). CRIU runs with cryo's ids and capabilities, so cryo's are the reader's.
 */
public final class ResourceLimitAccess {
  private static final String ADVICE =
      "run cryo with CAP_SYS_RESOURCE (as root on a host, or in a container, "
          + "that grants it), or keep the program's processes under cryo's user and group";

  /**
   * The reader's side of the kernel's check: who CRIU runs as, and whether it has CAP_SYS_RESOURCE.
   */
  record Reader(int realUid, int realGid, boolean sysResource, Optional<String> userNamespace) {}

  /** A process of the tree as the kernel's check sees it. */
  record Target(int pid, String name, LinuxProcess.Ids ids, Optional<String> userNamespace) {}

  /** Names of users and groups, where the system has them. */
  record Names(IntFunction<Optional<String>> users, IntFunction<Optional<String>> groups) {
    static final Names SYSTEM = new Names(HostFacts::userName, HostFacts::groupName);
  }

  private ResourceLimitAccess() {}

  /**
   * Refuses to checkpoint the tree rooted at {@code rootPid} if CRIU would be refused the resource
   * limits of one of its processes ({@code tree}). Reads nothing of the tree where cryo has
   * CAP_SYS_RESOURCE.
   *
   * @throws CriuException naming the first such process, its user and what to do
   */
  public static void requireFor(int rootPid, List<Integer> tree) throws CriuException {
    Optional<Reader> self = self();
    if (self.isEmpty() || self.get().sysResource()) {
      return;
    }
    Optional<String> refusal = refusal(self.get(), rootPid, targets(tree), Names.SYSTEM);
    if (refusal.isPresent()) {
      throw new CriuException(refusal.get());
    }
  }

  /**
   * The explanation of a dump that failed because CRIU was refused a process's resource limits, in
   * the words of {@link #requireFor}; empty for any other failure.
   */
  static Optional<String> explain(CriuOperationException failure) {
    if (!failure.resourceLimitsDenied()) {
      return Optional.empty();
    }
    OptionalInt pid = failure.failedDumpPid();
    Optional<Reader> self = self();
    // Without cryo's own ids, the process's say nothing: it is named, not judged.
    Optional<Target> target =
        pid.isPresent() && self.isPresent() ? target(pid.getAsInt()) : Optional.empty();
    Reader reader =
        self.orElse(
            new Reader(
                -1,
                -1,
                HostFacts.canReadResourceLimitsOfOthers(HostFacts.effectiveCapabilities()),
                Optional.empty()));
    return Optional.of(explainDenial(reader, pid, target, Names.SYSTEM));
  }

  /**
   * The refusal for the first process of {@code tree} whose limits {@code reader} may not read, if
   * any.
   */
  static Optional<String> refusal(Reader reader, int rootPid, List<Target> tree, Names names) {
    return tree.stream()
        .filter(t -> isDenied(reader, t))
        .findFirst()
        .map(t -> describe(reader, rootPid, t, names));
  }

  /** What CRIU's denial means, told from what is known now of the process it names. */
  static String explainDenial(
      Reader reader, OptionalInt pid, Optional<Target> target, Names names) {
    if (target.isPresent() && isDenied(reader, target.get())) {
      return describe(reader, 0, target.get(), names);
    }
    String which =
        pid.isPresent()
            ? "PID " + pid.getAsInt() + target.map(t -> " (" + t.name() + ")").orElse("")
            : "a process of the tree";
    if (reader.sysResource()) {
      return "CRIU was not permitted to read the resource limits of "
          + which
          + ", although cryo has "
          + "CAP_SYS_RESOURCE; a security module (AppArmor, SELinux) or the process's user namespace may forbid it";
    }
    return "CRIU was not permitted to read the resource limits of "
        + which
        + ", as happens when a process "
        + "runs as a user or group other than cryo's and cryo lacks CAP_SYS_RESOURCE; "
        + ADVICE;
  }

  /**
   * Whether the kernel refuses {@code reader} the limits of {@code target}. A process in another
   * user namespace is left to CRIU: there the capability may come from owning the namespace.
   */
  static boolean isDenied(Reader reader, Target target) {
    if (reader.sysResource() || !reader.userNamespace().equals(target.userNamespace())) {
      return false;
    }
    return otherId(reader, target.ids()).isPresent();
  }

  /** The first of the target's ids that differs from the reader's, the effective ones first. */
  private static Optional<OtherId> otherId(Reader reader, LinuxProcess.Ids ids) {
    return Stream.of(
            new OtherId(ids.effectiveUid(), true, "runs as"),
            new OtherId(ids.realUid(), true, "has the real"),
            new OtherId(ids.savedUid(), true, "has the saved"),
            new OtherId(ids.effectiveGid(), false, "runs as"),
            new OtherId(ids.realGid(), false, "has the real"),
            new OtherId(ids.savedGid(), false, "has the saved"))
        .filter(other -> other.id() != (other.user() ? reader.realUid() : reader.realGid()))
        .findFirst();
  }

  /**
   * An id of the target that is not the reader's: its value, whether it is a user's, and how the
   * process holds it.
   */
  private record OtherId(int id, boolean user, String role) {}

  private static String describe(Reader reader, int rootPid, Target target, Names names) {
    OtherId other = otherId(reader, target.ids()).orElseThrow();
    Optional<String> name =
        other.user() ? names.users().apply(other.id()) : names.groups().apply(other.id());
    String id = (other.user() ? "uid " : "gid ") + Integer.toUnsignedString(other.id());
    String kind = other.user() ? "user " : "group ";
    String whose = other.user() ? "another user's process" : "a process of another group";
    return "PID "
        + target.pid()
        + " ("
        + target.name()
        + ")"
        + (rootPid > 0 && rootPid != target.pid() ? " in the tree of PID " + rootPid : "")
        + " "
        + other.role()
        + " "
        + name.map(n -> kind + n + " (" + id + ")").orElse(id)
        + ", and CRIU cannot read the resource limits of "
        + whose
        + " without CAP_SYS_RESOURCE, "
        + "which this cryo lacks; "
        + ADVICE;
  }

  /** This process as the reader, CRIU being its child; empty if /proc does not say its ids. */
  private static Optional<Reader> self() {
    int pid = (int) ProcessHandle.current().pid();
    boolean sysResource =
        HostFacts.canReadResourceLimitsOfOthers(HostFacts.effectiveCapabilities());
    return LinuxProcess.idsOf(pid)
        .map(
            ids ->
                new Reader(
                    ids.realUid(), ids.realGid(), sysResource, LinuxProcess.userNamespaceOf(pid)));
  }

  /**
   * The tree's processes that are running: CRIU reads no limits of a zombie, nor of a process gone.
   */
  private static List<Target> targets(List<Integer> tree) {
    List<Target> targets = new ArrayList<>();
    for (int pid : tree) {
      target(pid).ifPresent(targets::add);
    }
    return targets;
  }

  private static Optional<Target> target(int pid) {
    Optional<LinuxProcess> process = LinuxProcess.of(pid).filter(p -> !p.isZombie());
    Optional<LinuxProcess.Ids> ids = LinuxProcess.idsOf(pid);
    if (process.isEmpty() || ids.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Target(pid, process.get().name(), ids.get(), LinuxProcess.userNamespaceOf(pid)));
  }
}
