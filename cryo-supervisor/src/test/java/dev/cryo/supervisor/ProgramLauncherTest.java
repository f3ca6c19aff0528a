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
  @TempDir
  Path store;

  @Test
  void theProgramRunsUnderAShellInitInNewPidAndTimeNamespacesWithItsArgumentsUntouched() {
    List<String> line = ProgramLauncher.commandLine(List.of("java", "-jar", "my app.jar"), Path.of("/r/exit-status"));

    assertThat(line).startsWith("unshare", "--pid", "--fork", "--time", "setsid", "sh", "-c");
    assertThat(line).endsWith("/r/exit-status", "java", "-jar", "my app.jar");
  }

  @Test
  void aJvmGetsTheAgentWithItsRunsControlDirectoryAheadOfTheUsersOwnOptions() throws Exception {
    RunDirectory run = new Runs(store).create(new RunSpec("web", List.of("java"), "/", Map.of(), 1000, 1,
        RestartPolicy.ON_CRASH, false, 1, 1000, null, Map.of(), Instant.now().toString()));

    String options = new ProgramLauncher(Path.of("/opt/cryo-runtime.jar")).javaOptions(run, "-Xmx1g");

    assertThat(options).isEqualTo("-javaagent:/opt/cryo-runtime.jar=controlDir=" + run.controlDir()
        + " -XX:+PerfDisableSharedMem -Xmx1g");
    assertThat(new ProgramLauncher(null).javaOptions(run, null)).isEqualTo("-XX:+PerfDisableSharedMem");
  }
}
