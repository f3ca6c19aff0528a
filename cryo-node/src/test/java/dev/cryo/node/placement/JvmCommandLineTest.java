package dev.cryo.node.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmCommandLineTest {
  @TempDir Path dir;

  @BeforeEach
  void jars() throws Exception {
    for (String jar : List.of("app.jar", "agent.jar", "a.jar", "b.jar", "lib/x.jar", "lib/y.jar")) {
      Files.createDirectories(dir.resolve(jar).getParent());
      Files.writeString(dir.resolve(jar), jar);
    }
    Files.createDirectories(dir.resolve("classes"));
  }

  private List<Path> files(String... arguments) {
    return JvmCommandLine.files(List.of(arguments), dir, Map.of());
  }

  @Test
  void theJarOfMinusJarAndNothingAfterIt() {
    assertThat(files("-Xmx1g", "-jar", "app.jar", "-cp", "a.jar", "-javaagent:agent.jar"))
        .as("the -jar jar; what follows it are the program's arguments")
        .containsExactly(dir.resolve("app.jar"));
  }

  @Test
  void theClassPathsFilesButNotItsDirectories() {
    assertThat(files("-cp", "a.jar:classes:missing.jar", "Main"))
        .as("-cp entries that are files")
        .containsExactly(dir.resolve("a.jar"));
    assertThat(files("-classpath", "b.jar", "Main")).containsExactly(dir.resolve("b.jar"));
    assertThat(files("--class-path", "a.jar", "Main")).containsExactly(dir.resolve("a.jar"));
    assertThat(files("--class-path=b.jar", "Main")).containsExactly(dir.resolve("b.jar"));
  }

  @Test
  void aClassPathWildcardMeansEveryJarInTheDirectory() {
    assertThat(files("-cp", "lib/*", "Main"))
        .containsExactly(dir.resolve("lib/x.jar"), dir.resolve("lib/y.jar"));
  }

  @Test
  void agentJarsWithOrWithoutOptions() {
    assertThat(
            files(
                "-javaagent:agent.jar=verbose,port=1",
                "-javaagent:" + dir.resolve("a.jar"),
                "-jar",
                "app.jar"))
        .containsExactly(dir.resolve("agent.jar"), dir.resolve("a.jar"), dir.resolve("app.jar"));
  }

  @Test
  void argumentsAfterTheMainClassAreTheProgramsOwn() {
    assertThat(files("-cp", "a.jar", "Main", "-cp", "b.jar", "-jar", "app.jar"))
        .as("options after the main class belong to the program")
        .containsExactly(dir.resolve("a.jar"));
    assertThat(files("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", "a.jar", "Main"))
        .as("an option's value is not the main class")
        .containsExactly(dir.resolve("a.jar"));
  }

  @Test
  void theClasspathVariableCountsOnlyWithoutAClassPathOption() {
    Map<String, String> env = Map.of("CLASSPATH", "b.jar");
    assertThat(JvmCommandLine.files(List.of("Main"), dir, env))
        .containsExactly(dir.resolve("b.jar"));
    assertThat(JvmCommandLine.files(List.of("-cp", "a.jar", "Main"), dir, env))
        .containsExactly(dir.resolve("a.jar"));
  }
}
