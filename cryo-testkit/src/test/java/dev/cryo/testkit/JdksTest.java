package dev.cryo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {
  @TempDir Path installed;

  @Test
  void theFeatureReleaseIsReadFromTheReleaseFile() throws Exception {
    assertThat(Jdks.feature(jdk("temurin-25", "25.0.3"))).isEqualTo(25);
    assertThat(Jdks.feature(jdk("openjdk-17", "17.0.15"))).isEqualTo(17);
    assertThat(Jdks.feature(jdk("early", "26-ea"))).isEqualTo(26);
    Path unreadable = Files.createDirectories(installed.resolve("no-release"));
    assertThat(Jdks.feature(unreadable)).isZero();
  }

  @Test
  void theNewestExecutableJdkOfTheMinimumOrLaterIsChosen() throws Exception {
    jdk("java-17", "17.0.15");
    Path jdk25 = jdk("temurin-25", "25.0.3");
    Path jdk26 = jdk("jdk-26", "26");
    Files.setPosixFilePermissions(
        jdk26.resolve("bin/java"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(Jdks.newest(installed, 25)).as("26 cannot run").contains(jdk25.resolve("bin/java"));
    assertThat(Jdks.newest(installed, 27)).isEmpty();
    assertThat(Jdks.newest(installed.resolve("missing"), 17)).isEmpty();
  }

  @Test
  void theBaselineComesFirstAsTheJdkRunningTheTests() {
    List<Jdks.Jdk> jdks = Jdks.baselineAndLatest();

    assertThat(jdks.get(0))
        .isEqualTo(new Jdks.Jdk("java " + Runtime.version().feature(), Jdks.current()));
    assertThat(jdks).allSatisfy(jdk -> assertThat(jdk.java()).isExecutable());
  }

  private Path jdk(String name, String version) throws Exception {
    Path home = Files.createDirectories(installed.resolve(name));
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
