package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * Bad input and a bad environment get one line on stderr and a documented exit code, and never cost
 * a running process or an earlier checkpoint.
 */
class ErrorHandlingIT extends RealProcessTest {
  /** A PATH with the usual tools but without /usr/local/sbin, where install-criu puts criu. */
  private static final String PATH_WITHOUT_CRIU = "/usr/bin:/bin";

  /** A test of a counter server and a CLI whose image store is on a tmpfs of its own. */
  private interface OnATmpfsStore {
    void run(CounterClient server, CryoCli onTmpfs) throws Exception;
  }

  /**
   * Runs {@code test} with the counter server counted to 1 and a CLI whose store is on a tmpfs
   * mounted with {@code options} (tests run as root), unmounted afterwards.
   */
  private void withAStoreOnATmpfs(String options, OnATmpfsStore test) throws Exception {
    Path mountPoint = Files.createDirectory(tmp.resolve("tmpfs"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString())
            .inheritIO()
            .start();
    assertThat(mount.waitFor()).as("mounting a tmpfs with %s", options).isZero();
    try {
      test.run(counterServerCountedTo(1), new CryoCli(mountPoint.resolve("store")));
    } finally {
      new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void anUnknownPidIsReportedAsNotFound() throws Exception {
    assertOneLineError(cryo.run("checkpoint", "999999"), 3, "no running process with PID 999999");
  }

  @Test
  void anUnknownCheckpointIsReportedAsNotFoundByEveryCommand() throws Exception {
    for (String command : new String[] {"restore", "inspect", "verify", "delete"}) {
      assertOneLineError(
          cryo.run(command, "no-such-checkpoint"),
          3,
          "no checkpoint named or with id 'no-such-checkpoint'",
          "cryo list");
    }
  }

  @Test
  void verboseAddsTheDetailsThatTheOneLineLeavesOut() throws Exception {
    CryoCli.Result result = cryo.run("--verbose", "checkpoint", "999999");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderrLines().size()).as("stack trace under --verbose").isGreaterThan(1);
  }

  @Test
  void aStoreThatCannotBeWrittenIsReportedAndTheProcessKeepsRunning() throws Exception {
    withAStoreOnATmpfs(
        "ro,size=1m",
        (server, readOnlyStore) -> {
          assertOneLineError(
              readOnlyStore.run("checkpoint", Long.toString(server.pid())),
              7,
              "cannot write the image store at " + readOnlyStore.store(),
              "--store DIR");
          assertThat(server.increment())
              .as("the process keeps running with its state")
              .isEqualTo(2);
        });
  }

  @Test
  void aStoreThatFillsUpDuringTheDumpIsReportedAndTheProcessKeepsRunning() throws Exception {
    withAStoreOnATmpfs(
        "size=4m",
        (server, smallStore) -> {
          CryoCli.Result result =
              smallStore.run("checkpoint", Long.toString(server.pid()), "--name", "too-big");

          assertOneLineError(result, 7, "No space left on device", "free space in the image store");
          assertThat(server.increment())
              .as("the process keeps running with its state")
              .isEqualTo(2);
          assertThat(smallStore.run("list").stdout()).doesNotContain("too-big");
          String log = result.stderr().replaceFirst("(?s).*\\(log: ([^)]+)\\).*", "$1").trim();
          assertThat(Path.of(log)).as("CRIU's log of the failed dump is kept").isRegularFile();
        });
  }

  @Test
  void aMissingCriuIsReportedWithHowToInstallItAndNothingIsTouched() throws Exception {
    CounterClient server = counterServerCountedTo(1);
    cryo.run("checkpoint", Long.toString(server.pid()), "--name", "earlier", "--leave-running")
        .assertOk();
    CryoCli withoutCriu = cryo.withPath(PATH_WITHOUT_CRIU);

    assertOneLineError(
        withoutCriu.run("checkpoint", Long.toString(server.pid())),
        5,
        "criu is not installed",
        "scripts/install-criu");
    assertThat(server.increment()).as("the process keeps running").isEqualTo(2);

    server.process().destroyForcibly().waitFor();
    assertOneLineError(withoutCriu.run("restore", "earlier"), 5, "criu is not installed");
    assertThat(cryo.run("verify", "earlier").exitCode())
        .as("the earlier checkpoint is intact")
        .isZero();
    restore("earlier");
    assertThat(server.count()).as("and restores once criu is back").isEqualTo(1);
  }

  @Test
  void aCriuOlderThanRequiredIsReportedAsTooOld() throws Exception {
    Path fakeBin = Files.createDirectory(tmp.resolve("old-criu"));
    Path fake = fakeBin.resolve("criu");
    // Stands in for Debian 12's criu only in what it prints for --version.
    Files.writeString(fake, "#!/bin/sh\necho 'Version: 3.17.1'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    CounterClient server = processes.startCounterServer();

    assertOneLineError(
        cryo.withPath(fakeBin + ":" + PATH_WITHOUT_CRIU)
            .run("checkpoint", Long.toString(server.pid())),
        5,
        "criu 3.17.1",
        "too old",
        "scripts/install-criu");
    assertThat(server.increment()).isEqualTo(1);
  }

  @Test
  void restoringWhileTheOriginalPidIsInUseIsRefusedAndTheOriginalKeepsServing() throws Exception {
    CounterClient server = counterServerCountedTo(1);
    cryo.run("checkpoint", Long.toString(server.pid()), "--name", "busy", "--leave-running")
        .assertOk();

    assertOneLineError(cryo.run("restore", "busy"), 8, "PID " + server.pid(), "is in use");

    assertThat(server.increment()).as("the original keeps serving").isEqualTo(2);
    assertThat(cryo.run("verify", "busy").exitCode()).as("the checkpoint is intact").isZero();
  }

  @Test
  void aNameAlreadyTakenIsRefusedBeforeAnythingIsDumped() throws Exception {
    CounterClient server = processes.startCounterServer();
    cryo.run("checkpoint", Long.toString(server.pid()), "--name", "taken", "--leave-running")
        .assertOk();

    assertOneLineError(
        cryo.run("checkpoint", Long.toString(server.pid()), "--name", "taken"),
        8,
        "a checkpoint named 'taken' already exists");

    assertThat(server.process().isAlive()).as("the process was not stopped").isTrue();
    assertThat(server.increment()).isEqualTo(1);
  }

  @Test
  void malformedArgumentsAreUsageErrors() throws Exception {
    assertOneLineError(cryo.run("checkpoint", "-5"), 2);
    assertOneLineError(cryo.run("checkpoint", "not/a-name"), 3, "no program named 'not/a-name'");
    assertOneLineError(cryo.run("no-such-command"), 2, "no-such-command");
  }
}
