package dev.cryo.node.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.criu.CriuVersion;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramRequirementsTest {
  @TempDir Path dir;
  private final FileFingerprints fingerprints = new FileFingerprints();
  private Path jdk;
  private Path bin;

  @BeforeEach
  void jdkLinkedFromPath() throws Exception {
    dir = dir.toRealPath();
    jdk = FakeJdk.create(dir.resolve("jdk"), "build-1");
    bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin/java"));
    Files.writeString(dir.resolve("app.jar"), "app");
    Files.writeString(dir.resolve("agent.jar"), "agent");
  }

  private ProgramRequirements of(String... command) throws Exception {
    return ProgramRequirements.of(
        List.of(command),
        dir,
        Map.of("PATH", bin.toString()),
        fingerprints,
        List.of("fpu", "avx2"),
        new CriuVersion(4, 2, 0));
  }

  @Test
  void aJvmFoundThroughPathAndALinkNeedsItsJdksFilesAndItsJars() throws Exception {
    ProgramRequirements required =
        of("java", "-javaagent:agent.jar", "-jar", "app.jar", "--port", "1");
    assertThat(required.files().keySet())
        .as("files of a JVM started as 'java' from PATH, a link into a JDK")
        .containsExactlyInAnyOrder(
            jdk.resolve("bin/java").toString(),
            jdk.resolve("lib/server/libjvm.so").toString(),
            jdk.resolve("lib/modules").toString(),
            jdk.resolve("lib/server/classes.jsa").toString(),
            dir.resolve("agent.jar").toString(),
            dir.resolve("app.jar").toString());
    assertThat(required.files().get(dir.resolve("app.jar").toString()))
        .as("a file's fingerprint")
        .isEqualTo(fingerprints.sha256(dir.resolve("app.jar")));
  }

  @Test
  void theCdsArchiveOnlyIfTheJdkHasOne() throws Exception {
    Files.delete(jdk.resolve("lib/server/classes.jsa"));
    assertThat(of("java", "-jar", "app.jar").files())
        .as("a JDK without a CDS archive")
        .doesNotContainKey(jdk.resolve("lib/server/classes.jsa").toString());
  }

  @Test
  void anyOtherProgramNeedsItsExecutable() throws Exception {
    Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(of("tool", "-jar", "app.jar").files().keySet())
        .as("a program that is not a JVM: its arguments are its own")
        .containsExactly(tool.toString());
    assertThat(of("./bin/tool").files().keySet())
        .as("a relative path")
        .containsExactly(tool.toString());
  }

  @Test
  void carriesTheSubmittingHostsCpuFlagsAndCriu() throws Exception {
    ProgramRequirements required = of("java", "-jar", "app.jar");
    assertThat(required.cpuFlags()).containsExactly("fpu", "avx2");
    assertThat(required.criuVersion()).isEqualTo("4.2.0");
  }

  @Test
  void aProgramThatIsNotThereHasNoRequirements() {
    assertThatThrownBy(() -> of("no-such-program"))
        .as("a command not on PATH")
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no-such-program");
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ProgramRequirements required = of("java", "-jar", "app.jar");
    assertThat(json.readValue(json.writeValueAsString(required), ProgramRequirements.class))
        .isEqualTo(required);
  }
}
