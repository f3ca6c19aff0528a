package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.checkpoint.ResourceLimitAccess.Names;
import dev.cryo.checkpoint.ResourceLimitAccess.Reader;
import dev.cryo.checkpoint.ResourceLimitAccess.Target;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.linux.LinuxProcess.Ids;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * When CRIU may read the resource limits of a tree's processes, as the kernel decides it
 * (kernel/sys.c, check_prlimit_permission), and what cryo says when it may not.
 */
class ResourceLimitAccessTest {
  private static final String HOST_USERS = "user:[4026531837]";
  private static final Reader ROOT_WITHOUT_SYS_RESOURCE =
      new Reader(0, 0, false, Optional.of(HOST_USERS));
  private static final Reader ROOT_WITH_SYS_RESOURCE =
      new Reader(0, 0, true, Optional.of(HOST_USERS));
  private static final Names SYSTEM_NAMES =
      new Names(
          uid -> Optional.ofNullable(Map.of(0, "root", 65534, "nobody", 33, "www-data").get(uid)),
          gid -> Optional.ofNullable(Map.of(0, "root", 65534, "nogroup").get(gid)));
  private static final Ids ROOT = new Ids(0, 0, 0, 0, 0, 0);
  private static final Ids NOBODY = new Ids(65534, 65534, 65534, 65534, 65534, 65534);

  private static Target process(int pid, String name, Ids ids) {
    return new Target(pid, name, ids, Optional.of(HOST_USERS));
  }

  private static Optional<String> refusal(Reader reader, List<Target> tree) {
    return ResourceLimitAccess.refusal(reader, tree.get(0).pid(), tree, SYSTEM_NAMES);
  }

  @Test
  void aTreeOfCryosOwnUserAndGroupIsCheckpointedWithoutTheCapability() {
    List<Target> tree = List.of(process(100, "sh", ROOT), process(101, "sleep", ROOT));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("no refusal for root's own processes")
        .isEmpty();
  }

  @Test
  void aChildRunningAsAnotherUserIsRefusedWithItsPidNameUserAndTheMissingCapability() {
    List<Target> tree = List.of(process(100, "sh", ROOT), process(101, "nginx", NOBODY));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal for a child running as nobody")
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith(
                        "PID 101 (nginx) in the tree of PID 100 runs as user nobody (uid 65534), ")
                    .contains("CAP_SYS_RESOURCE, which this cryo lacks")
                    .contains("run cryo with CAP_SYS_RESOURCE")
                    .contains("keep the program's processes under cryo's user")
                    .doesNotContain("\n"));
  }

  @Test
  void theRootOfTheTreeIsNamedWithoutATreeAroundIt() {
    List<Target> tree = List.of(process(100, "nginx", NOBODY));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal for a root running as nobody")
        .hasValueSatisfying(
            message -> assertThat(message).startsWith("PID 100 (nginx) runs as user nobody"));
  }

  @Test
  void withCapSysResourceEveryUsersProcessIsReadable() {
    List<Target> tree = List.of(process(100, "sh", ROOT), process(101, "nginx", NOBODY));

    assertThat(refusal(ROOT_WITH_SYS_RESOURCE, tree))
        .as("no refusal with CAP_SYS_RESOURCE")
        .isEmpty();
  }

  @Test
  void aProcessOfAnotherGroupIsRefusedTooSinceTheKernelComparesGroupIds() {
    List<Target> tree = List.of(process(100, "worker", new Ids(0, 0, 0, 65534, 65534, 65534)));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal for root's process in group nogroup")
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith("PID 100 (worker) runs as group nogroup (gid 65534), ")
                    .contains("a process of another group without CAP_SYS_RESOURCE"));
  }

  @Test
  void aProcessThatOnlyKeepsAnotherUserAsItsSavedIdIsRefused() {
    List<Target> tree = List.of(process(100, "daemon", new Ids(0, 0, 33, 0, 0, 0)));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal for a saved uid of www-data")
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith("PID 100 (daemon) has the saved user www-data (uid 33)"));
  }

  @Test
  void theEffectiveUserIsNamedBeforeTheRealOne() {
    List<Target> tree = List.of(process(100, "setuid", new Ids(0, 33, 33, 0, 0, 0)));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal names the user the process acts as")
        .hasValueSatisfying(
            message ->
                assertThat(message).startsWith("PID 100 (setuid) runs as user www-data (uid 33)"));
  }

  @Test
  void aUserWithoutANameIsGivenByItsUid() {
    List<Target> tree = List.of(process(100, "app", new Ids(4242, 4242, 4242, 0, 0, 0)));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal for uid 4242, which has no name")
        .hasValueSatisfying(
            message -> assertThat(message).startsWith("PID 100 (app) runs as uid 4242, "));
  }

  @Test
  void theFirstRefusedProcessOfTheTreeIsNamed() {
    List<Target> tree =
        List.of(
            process(100, "sh", ROOT),
            process(101, "a", NOBODY),
            process(102, "b", new Ids(33, 33, 33, 33, 33, 33)));

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal names PID 101, the first of two")
        .hasValueSatisfying(message -> assertThat(message).startsWith("PID 101 (a)"));
  }

  @Test
  void aProcessInAnotherUserNamespaceIsLeftToCriuSinceOwningTheNamespaceMayGrantTheCapability() {
    Target containerised =
        new Target(
            101,
            "app",
            new Ids(100000, 100000, 100000, 100000, 100000, 100000),
            Optional.of("user:[4026532999]"));
    List<Target> tree = List.of(process(100, "sh", ROOT), containerised);

    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("no refusal for a process of a child user namespace")
        .isEmpty();
  }

  @Test
  void criusDenialForAProcessStillRunningAsAnotherUserIsExplainedAsTheRefusalWouldBe() {
    String explained =
        ResourceLimitAccess.explainDenial(
            ROOT_WITHOUT_SYS_RESOURCE,
            OptionalInt.of(101),
            Optional.of(process(101, "nginx", NOBODY)),
            SYSTEM_NAMES);

    assertThat(explained)
        .as("the explanation of CRIU's 'Can't get rlimit'")
        .isEqualTo(
            refusal(ROOT_WITHOUT_SYS_RESOURCE, List.of(process(101, "nginx", NOBODY)))
                .orElseThrow());
  }

  @Test
  void criusDenialForAProcessGoneSinceNamesItsPidAndWhatToDo() {
    String explained =
        ResourceLimitAccess.explainDenial(
            ROOT_WITHOUT_SYS_RESOURCE, OptionalInt.of(101), Optional.empty(), SYSTEM_NAMES);

    assertThat(explained)
        .as("the explanation for a process that has ended")
        .startsWith("CRIU was not permitted to read the resource limits of PID 101, ")
        .contains("cryo lacks CAP_SYS_RESOURCE")
        .contains("run cryo with CAP_SYS_RESOURCE");
  }

  @Test
  void criusDenialDespiteTheCapabilityBlamesNeitherTheUserNorTheCapability() {
    String explained =
        ResourceLimitAccess.explainDenial(
            ROOT_WITH_SYS_RESOURCE,
            OptionalInt.of(101),
            Optional.of(process(101, "nginx", NOBODY)),
            SYSTEM_NAMES);

    assertThat(explained)
        .as("the explanation when cryo has CAP_SYS_RESOURCE")
        .contains("although cryo has CAP_SYS_RESOURCE")
        .contains("security module")
        .doesNotContain("run cryo with CAP_SYS_RESOURCE");
  }

  @Test
  void aDumpFailedOnResourceLimitsIsDescribedInThoseTermsWithItsLog() {
    // The error lines of a real dump.log, for a process that has ended since.
    CriuOperationException failure =
        new CriuOperationException(
            "dump",
            0,
            null,
            List.of(
                "Error (criu/cr-dump.c:389): Can't get rlimit 0: Operation not permitted",
                "Error (criu/cr-dump.c:1584): Dump core (pid: 2147483600) failed with -1",
                "Error (criu/cr-dump.c:1975): Dumping FAILED."),
            Path.of("/store/logs/x-dump.log"),
            null);

    assertThat(FailureMessages.describe(failure))
        .as("the one line for CRIU's 'Can't get rlimit'")
        .startsWith("CRIU was not permitted to read the resource limits of PID 2147483600")
        .contains("CAP_SYS_RESOURCE")
        .endsWith(" (log: /store/logs/x-dump.log)");
  }

  @Test
  void otherDumpFailuresKeepCriusOwnWords() {
    CriuOperationException failure =
        new CriuOperationException(
            "dump",
            0,
            null,
            List.of("Error (criu/sk-unix.c:100): External socket is used"),
            null,
            null);

    assertThat(FailureMessages.describe(failure))
        .isEqualTo("criu dump failed: External socket is used");
  }
}
