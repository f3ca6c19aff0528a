package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.cli.ExitCode;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code cryo run} and the commands that manage runs: bad input gets one line and a documented exit
 * code; logs, stop and the restart policies do what they say.
 */
class RunCommandLineIT extends SupervisedRunTest {

  @Test
  void anUnknownNameIsNotFoundForEveryCommand() throws Exception {
    for (List<String> args :
        List.of(
            List.of("stop", "nope"),
            List.of("logs", "nope"),
            List.of("events", "nope"),
            List.of("checkpoint", "nope"))) {
      CryoCli.Result result = cryo.run(args.toArray(String[]::new));
      assertThat(result.exitCode())
          .as(result.describe("exit 3"))
          .isEqualTo(ExitCode.NOT_FOUND.code());
      assertThat(result.stderrLines()).as("one line").hasSize(1);
      assertThat(result.stderr()).contains("no program named 'nope'").doesNotContain("Exception");
    }
  }

  @Test
  void aSecondRunWithANameInUseIsRefusedAndTheFirstKeepsRunning() throws Exception {
    run("busy", List.of(), List.of("sleep", "600"));
    int pid = state("busy").mainPid();
    CryoCli.Result second = cryo.run("run", "--name", "busy", "--", "sleep", "600");
    assertThat(second.exitCode()).as(second.describe("exit 8")).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(second.stderrLines()).hasSize(1);
    assertThat(second.stderr()).contains("'busy' is in use by a program that is running");
    assertThat(Processes.isAlive(pid)).isTrue();
    assertThat(state("busy").mainPid()).isEqualTo(pid);
  }

  @Test
  void badOptionsAndMissingCommandsGetOneLineAndAnExitCode() throws Exception {
    record Case(List<String> args, ExitCode code, String says) {}
    for (Case c :
        List.of(
            new Case(List.of("run", "--every", "0", "--", "sleep", "1"), ExitCode.USAGE, "--every"),
            new Case(
                List.of("run", "--every", "0s", "--", "sleep", "1"),
                ExitCode.USAGE,
                "--every must be positive"),
            new Case(List.of("run", "--keep", "0", "--", "sleep", "1"), ExitCode.USAGE, "--keep"),
            new Case(
                List.of("run", "--restart", "sometimes", "--", "sleep", "1"),
                ExitCode.USAGE,
                "on-crash, always or never"),
            new Case(
                List.of("run", "--name", "bad/name", "--", "sleep", "1"), ExitCode.USAGE, "--name"),
            new Case(
                List.of("run", "--name", "8080", "--", "sleep", "1"),
                ExitCode.USAGE,
                "would be taken for a PID"),
            new Case(
                List.of("run", "--", "no-such-command-anywhere"),
                ExitCode.NOT_FOUND,
                "command not found"),
            new Case(
                List.of("run", "--", "/no/such/program"), ExitCode.NOT_FOUND, "command not found"),
            new Case(List.of("run"), ExitCode.USAGE, "COMMAND"))) {
      CryoCli.Result result = cryo.run(c.args().toArray(String[]::new));
      assertThat(result.exitCode())
          .as(result.describe("exit " + c.code().code()))
          .isEqualTo(c.code().code());
      assertThat(result.stderrLines()).as("one line for %s", c.args()).hasSize(1);
      assertThat(result.stderr()).contains(c.says()).doesNotContain("Exception");
    }
    assertThat(runs().list()).as("nothing was started").isEmpty();
  }

  @Test
  void logsShowTheProgramsOutputAndStopEndsItForGood() throws Exception {
    int port = Processes.freePort();
    run("logged", List.of("--every", "1h"), participantService(port));
    awaitServing(port, Duration.ofSeconds(60));
    int pid = state("logged").mainPid();
    assertThat(cryo.run("logs", "logged").assertOk().stdout()).contains("ready " + port);
    assertThat(cryo.run("logs", "logged", "--stderr").assertOk().stdout())
        .doesNotContain("ready " + port);

    cryo.run("stop", "logged").assertOk();
    Processes.awaitTrue(
        "the program to end", Duration.ofSeconds(30), () -> !Processes.isAlive(pid));
    assertThat(cryo.run("ps").assertOk().stdout()).containsPattern("logged\\s+-\\s+stopped");
    assertThat(cryo.run("events", "logged").assertOk().stdout()).contains("stopped as asked");
    assertThat(supervisors()).as("its supervisor is gone too").isEmpty();
    run("logged", List.of(), List.of("sleep", "600"));
    assertThat(state("logged").restarts()).as("a stopped run's name can be used again").isZero();
  }

  @Test
  void aCleanExitEndsTheRunUnderOnCrash() throws Exception {
    run("brief", List.of(), List.of("sh", "-c", "sleep 1; exit 0"));
    Processes.awaitTrue("the run to end", Duration.ofSeconds(30), () -> finalState("brief"));
    assertThat(state("brief").status().label()).isEqualTo("exited");
    assertThat(describeEvents("brief")).contains("exited with code 0").contains("exited cleanly");
  }

  @Test
  void aCrashWithoutCheckpointsFailsUnlessColdStartIsAllowedThenGivesUpAfterMaxRestarts()
      throws Exception {
    run("doomed", List.of(), List.of("sh", "-c", "sleep 1; exit 3"));
    Processes.awaitTrue("the run to end", Duration.ofSeconds(30), () -> finalState("doomed"));
    assertThat(state("doomed").status().label()).isEqualTo("failed");
    assertThat(describeEvents("doomed"))
        .contains("exited with code 3")
        .contains("no checkpoint to restore")
        .contains("--cold-start");

    run("looping", List.of("--cold-start", "--max-restarts", "3"), List.of("sh", "-c", "exit 4"));
    Processes.awaitTrue(
        "the supervisor to give up", Duration.ofSeconds(60), () -> finalState("looping"));
    assertThat(state("looping").status().label()).isEqualTo("failed");
    assertThat(describeEvents("looping"))
        .contains("cold-started")
        .contains("waiting 1 s")
        .contains("--max-restarts 3");
  }

  private boolean finalState(String name) {
    try {
      return state(name).status().isFinal();
    } catch (Exception e) {
      return false;
    }
  }
}
