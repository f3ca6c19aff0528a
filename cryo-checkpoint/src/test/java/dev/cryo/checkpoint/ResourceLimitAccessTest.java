package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

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
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private static final Target NGINX_AS_NOBODY = process(101, "nginx", NOBODY);

  private static Target process(int pid, String name, Ids ids) {
    return new Target(pid, name, ids, Optional.of(HOST_USERS));
  }

  private static Optional<String> refusal(Reader reader, List<Target> tree) {
    return ResourceLimitAccess.refusal(reader, tree.get(0).pid(), tree, SYSTEM_NAMES);
  }

  /** The explanation of CRIU's denial to read the limits of PID 101, {@code process} if alive. */
  private static AbstractStringAssert<?> assertThatExplanation(
      Reader reader, Optional<Target> process) {
    return assertThat(
        ResourceLimitAccess.explainDenial(reader, OptionalInt.of(101), process, SYSTEM_NAMES));
  }

  static Stream<Arguments> treesCheckpointedWithoutRefusal() {
    return Stream.of(
        arguments(
            "a tree of cryo's own user and group is checkpointed without the capability",
            ROOT_WITHOUT_SYS_RESOURCE,
            List.of(process(100, "sh", ROOT), process(101, "sleep", ROOT))),
        arguments(
            "with CAP_SYS_RESOURCE every user's process is readable",
            ROOT_WITH_SYS_RESOURCE,
            List.of(process(100, "sh", ROOT), NGINX_AS_NOBODY)),
        arguments(
            "a process in another user namespace is left to CRIU, since owning the namespace"
                + " may grant the capability",
            ROOT_WITHOUT_SYS_RESOURCE,
            List.of(
                process(100, "sh", ROOT),
                new Target(
                    101,
                    "app",
                    new Ids(100000, 100000, 100000, 100000, 100000, 100000),
                    Optional.of("user:[4026532999]")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("treesCheckpointedWithoutRefusal")
  void aTreeCriuMayReadIsCheckpointedWithoutRefusal(
      String behaviour, Reader reader, List<Target> tree) {
    assertThat(refusal(reader, tree)).as("the refusal, where %s", behaviour).isEmpty();
  }

  @Test
  void aChildRunningAsAnotherUserIsRefusedWithItsPidNameUserAndTheMissingCapability() {
    List<Target> tree = List.of(process(100, "sh", ROOT), NGINX_AS_NOBODY);

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

  static Stream<Arguments> refusedTrees() {
    return Stream.of(
        arguments(
            "the root of the tree is named without a tree around it",
            List.of(process(100, "nginx", NOBODY)),
            "PID 100 (nginx) runs as user nobody"),
        arguments(
            "a process that only keeps another user as its saved id is refused",
            List.of(process(100, "daemon", new Ids(0, 0, 33, 0, 0, 0))),
            "PID 100 (daemon) has the saved user www-data (uid 33)"),
        arguments(
            "the effective user is named before the real one",
            List.of(process(100, "setuid", new Ids(0, 33, 33, 0, 0, 0))),
            "PID 100 (setuid) runs as user www-data (uid 33)"),
        arguments(
            "a user without a name is given by its uid",
            List.of(process(100, "app", new Ids(4242, 4242, 4242, 0, 0, 0))),
            "PID 100 (app) runs as uid 4242, "),
        arguments(
            "the first refused process of the tree is named",
            List.of(
                process(100, "sh", ROOT),
                process(101, "a", NOBODY),
                process(102, "b", new Ids(33, 33, 33, 33, 33, 33))),
            "PID 101 (a)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedTrees")
  void theRefusalNamesTheProcessAndHowItRuns(
      String behaviour, List<Target> tree, String expectedStart) {
    assertThat(refusal(ROOT_WITHOUT_SYS_RESOURCE, tree))
        .as("the refusal, where %s", behaviour)
        .hasValueSatisfying(message -> assertThat(message).startsWith(expectedStart));
  }

  @Test
  void criusDenialForAProcessStillRunningAsAnotherUserIsExplainedAsTheRefusalWouldBe() {
    assertThatExplanation(ROOT_WITHOUT_SYS_RESOURCE, Optional.of(NGINX_AS_NOBODY))
        .as("the explanation of CRIU's 'Can't get rlimit'")
        .isEqualTo(refusal(ROOT_WITHOUT_SYS_RESOURCE, List.of(NGINX_AS_NOBODY)).orElseThrow());
  }

  @Test
  void criusDenialForAProcessGoneSinceNamesItsPidAndWhatToDo() {
    assertThatExplanation(ROOT_WITHOUT_SYS_RESOURCE, Optional.empty())
        .as("the explanation for a process that has ended")
        .startsWith("CRIU was not permitted to read the resource limits of PID 101, ")
        .contains("cryo lacks CAP_SYS_RESOURCE")
        .contains("run cryo with CAP_SYS_RESOURCE");
  }

  @Test
  void criusDenialDespiteTheCapabilityBlamesNeitherTheUserNorTheCapability() {
    assertThatExplanation(ROOT_WITH_SYS_RESOURCE, Optional.of(NGINX_AS_NOBODY))
        .as("the explanation when cryo has CAP_SYS_RESOURCE")
        .contains("although cryo has CAP_SYS_RESOURCE")
        .contains("security module")
        .doesNotContain("run cryo with CAP_SYS_RESOURCE");
  }

  @Test
  void aDumpFailedOnResourceLimitsIsDescribedInThoseTermsWithItsLog() {
    // The error lines of a real dump.log, for a process that has ended since.
    CriuOperationException failure =
        dumpFailure(
            List.of(
                "Error (criu/cr-dump.c:389): Can't get rlimit 0: Operation not permitted",
                "Error (criu/cr-dump.c:1584): Dump core (pid: 2147483600) failed with -1",
                "Error (criu/cr-dump.c:1975): Dumping FAILED."),
            Path.of("/store/logs/x-dump.log"));

    assertThat(FailureMessages.describe(failure))
        .as("the one line for CRIU's 'Can't get rlimit'")
        .startsWith("CRIU was not permitted to read the resource limits of PID 2147483600")
        .contains("CAP_SYS_RESOURCE")
        .endsWith(" (log: /store/logs/x-dump.log)");
  }

  @Test
  void otherDumpFailuresKeepCriusOwnWords() {
    CriuOperationException failure =
        dumpFailure(List.of("Error (criu/sk-unix.c:100): External socket is used"), null);

    assertThat(FailureMessages.describe(failure))
        .isEqualTo("criu dump failed: External socket is used");
  }

  private static CriuOperationException dumpFailure(List<String> errorLines, Path log) {
    return new CriuOperationException("dump", 0, null, errorLines, log, null);
  }
}
