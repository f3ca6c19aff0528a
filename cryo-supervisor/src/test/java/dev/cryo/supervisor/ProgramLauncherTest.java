package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and JVM options a supervised program is started with. */
class ProgramLauncherTest {
  @TempDir Path store;

  @Test
  void theProgramRunsUnderAShellInitInNewPidAndTimeNamespacesWithItsArgumentsUntouched() {
    List<String> line =
        ProgramLauncher.commandLine(
            List.of("java", "-jar", "my app.jar"), Path.of("/r/exit-status"));

    assertThat(line).startsWith("unshare", "--pid", "--fork", "--time", "setsid", "sh", "-c");
    assertThat(line).endsWith("/r/exit-status", "java", "-jar", "my app.jar");
  }

  @Test
  void aJvmGetsTheAgentWithItsRunsControlDirectoryAheadOfTheUsersOwnOptions() throws Exception {
    RunSpec spec =
        new RunSpec(
            "web",
            List.of("java"),
            "/",
            Map.of(),
            1000,
            1,
            RestartPolicy.ON_CRASH,
            false,
            1,
            1000,
            null,
            null,
            Map.of(),
            Instant.now().toString(),
            null);
    RunDirectory run = new Runs(store).create(spec);

    String options =
        new ProgramLauncher(Path.of("/opt/cryo-runtime.jar")).javaOptions(run, spec, "-Xmx1g");

    assertThat(options)
        .isEqualTo(
            "-javaagent:/opt/cryo-runtime.jar=controlDir="
                + run.controlDir()
                + " -XX:+PerfDisableSharedMem -Xmx1g");
    assertThat(new ProgramLauncher(null).javaOptions(run, spec, null))
        .isEqualTo("-XX:+PerfDisableSharedMem");
  }

  @Test
  void aCopyStartedAfreshGetsItsPropertiesAsSystemPropertiesQuotedWhereNeeded() throws Exception {
    RunSpec copy =
        new RunSpec(
            "copy",
            List.of("java"),
            "/",
            Map.of(),
            1000,
            1,
            RestartPolicy.ON_CRASH,
            true,
            1,
            1000,
            "20261125-000000-abcdef",
            "web",
            Map.of("demo.port", "8082", "greeting", "hello world"),
            Instant.now().toString(),
            null);
    RunDirectory run = new Runs(store).create(copy);

    assertThat(new ProgramLauncher(null).javaOptions(run, copy, null))
        .contains("-Ddemo.port=8082")
        .contains("\"-Dgreeting=hello world\"");
  }
}
