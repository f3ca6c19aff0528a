package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
        RunSpec.builder("web", List.of("java"))
            .every(Duration.ofSeconds(1))
            .keep(1)
            .maxRestarts(1)
            .timeout(Duration.ofSeconds(1))
            .build();
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
        RunSpec.builder("copy", List.of("java"))
            .every(Duration.ofSeconds(1))
            .keep(1)
            .coldStart(true)
            .maxRestarts(1)
            .timeout(Duration.ofSeconds(1))
            .origin(
                "20261125-000000-abcdef",
                "web",
                Map.of("demo.port", "8082", "greeting", "hello world"))
            .build();
    RunDirectory run = new Runs(store).create(copy);

    assertThat(new ProgramLauncher(null).javaOptions(run, copy, null))
        .contains("-Ddemo.port=8082")
        .contains("\"-Dgreeting=hello world\"");
  }
}
