package dev.cryo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's shape: help everywhere, usage errors, and exit codes as documented. */
class CommandLineTest {
  private static final String[] COMMANDS = {
    "checkpoint", "restore", "list", "inspect", "verify", "delete", "doctor", "cluster"
  };

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpWorksForTheToolAndEveryCommand() {
    Run top = run("--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.out()).contains("Usage: cryo").contains("Exit codes:");
    for (String command : COMMANDS) {
      Run help = run(command, "--help");
      assertThat(help.exitCode()).as("exit code of cryo %s --help", command).isZero();
      assertThat(help.out()).as("help of %s", command).startsWith("Usage: cryo " + command);
    }
  }

  @Test
  void onlyTheSubcommandNamedIsBuiltWhateverRootOptionsComeFirst() {
    assertThat(Main.subcommandNamed(new String[] {"--store", "/x", "restore", "web"}))
        .isEqualTo("restore");
    assertThat(Main.subcommandNamed(new String[] {"--store=/x", "-v", "checkpoint", "1"}))
        .isEqualTo("checkpoint");
    assertThat(Main.subcommandNamed(new String[] {"--store", "restore", "list"}))
        .as("a store named like a command: every command, as picocli has always seen it")
        .isNull();
    assertThat(Main.subcommandNamed(new String[] {"--help"}))
        .as("help lists every command")
        .isNull();
    assertThat(Main.subcommandNamed(new String[] {"-h", "restore"}))
        .as("help first lists every command")
        .isNull();
    assertThat(Main.subcommandNamed(new String[] {"restor", "web"}))
        .as("a typo gets every command, for suggestions")
        .isNull();
  }

  @Test
  void helpBeforeACommandStillListsEveryCommand() {
    Run help = run("--help", "restore");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("checkpoint")
        .contains("restore")
        .contains("list")
        .contains("doctor");
  }

  @Test
  void aMistypedCommandIsAOneLineUsageError() {
    Run typo = run("restor", "web");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err().lines()).as(typo.err()).hasSize(1);
    assertThat(typo.err()).contains("'restor'").contains("cryo --help");
  }

  @Test
  void withoutACommandItPrintsUsage() {
    Run bare = run();
    assertThat(bare.exitCode()).isZero();
    assertThat(bare.out()).contains("Commands:");
  }

  @Test
  void aMissingArgumentIsAOneLineUsageError() {
    Run run = run("restore");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .startsWith("cryo: Missing required parameter")
        .contains("cryo restore --help");
  }

  @Test
  void aTimeoutThatIsNotAPositiveDurationIsAOneLineUsageError() {
    for (String bad : new String[] {"soon", "0s", "-5s", "9999999999999s"}) {
      Run run = run("checkpoint", "4242", "--timeout", bad);
      assertThat(run.exitCode())
          .as("exit code for --timeout " + bad)
          .isEqualTo(ExitCode.USAGE.code());
      assertThat(run.err().lines()).as("stderr for --timeout " + bad).hasSize(1);
      assertThat(run.err()).contains("--timeout");
    }
  }

  @Test
  void anInvalidCheckpointNameIsAOneLineUsageError() {
    Run run = run("checkpoint", "4242", "--name", "bad/name");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("invalid checkpoint name 'bad/name'");
  }

  @Test
  void everyExitCodeIsDocumentedWithItsMeaning() throws Exception {
    String doc =
        Files.readString(Path.of(System.getProperty("cryo.home", "..")).resolve("docs/cli.md"));
    for (ExitCode code : ExitCode.values()) {
      assertThat(doc)
          .as("docs/cli.md documents exit code %d", code.code())
          .contains("| " + code.code() + " | " + code.meaning() + " |");
    }
  }

  @Test
  void clusterInitCreatesACaOnceAndRefusesASecondWithExit8(@TempDir Path tmp) {
    Path dir = tmp.resolve("pki");
    Run first = run("cluster", "init", "--dir", dir.toString());
    assertThat(first.exitCode()).as("exit code of the first init (%s)", first.err()).isZero();
    assertThat(dir.resolve("ca.pem")).as("ca.pem").exists();
    assertThat(dir.resolve("ca-key.pem")).as("ca-key.pem").exists();

    Run second = run("cluster", "init", "--dir", dir.toString());
    assertThat(second.exitCode())
        .as("exit code of a second init")
        .isEqualTo(ExitCode.CONFLICT.code());
    assertThat(second.err().lines()).as("stderr of a second init").hasSize(1);
    assertThat(second.err()).as("stderr of a second init").contains("exists already");
  }

  @Test
  void clusterIssueWritesACertificateAndKeyNamedAfterTheHolder(@TempDir Path tmp) {
    Path dir = tmp.resolve("pki");
    run("cluster", "init", "--dir", dir.toString());
    Run issue =
        run(
            "cluster",
            "issue",
            "cryo-a",
            "--dir",
            dir.toString(),
            "--ip",
            "198.18.0.1",
            "--dns",
            "a.test");
    assertThat(issue.exitCode()).as("exit code of issue (%s)", issue.err()).isZero();
    assertThat(dir.resolve("cryo-a.pem")).as("certificate file").exists();
    assertThat(dir.resolve("cryo-a-key.pem")).as("key file").exists();
  }

  @Test
  void clusterIssueOfABadNameOrAddressIsAOneLineUsageError(@TempDir Path tmp) {
    Path dir = tmp.resolve("pki");
    run("cluster", "init", "--dir", dir.toString());
    for (String[] args :
        new String[][] {
          {"cluster", "issue", "Bad/Name", "--dir", dir.toString()},
          {"cluster", "issue", "good", "--dir", dir.toString(), "--ip", "not-an-ip"}
        }) {
      Run run = run(args);
      assertThat(run.exitCode())
          .as("exit code of %s", String.join(" ", args))
          .isEqualTo(ExitCode.USAGE.code());
      assertThat(run.err().lines()).as("stderr of %s", String.join(" ", args)).hasSize(1);
    }
  }

  @Test
  void clusterIssueWithoutACaIsNotFound(@TempDir Path tmp) {
    Run run = run("cluster", "issue", "cryo-a", "--dir", tmp.toString());
    assertThat(run.exitCode())
        .as("exit code of issue without a CA")
        .isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(run.err()).as("stderr").contains("cryo cluster init");
  }
}
