package dev.cryo.node.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.criu.CriuVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFactsTest {
  @TempDir Path dir;
  private final FileFingerprints fingerprints = new FileFingerprints();

  private NodeFactsCollector collector(Path jvmRoot, Path javaHome) {
    return new NodeFactsCollector(
        "cryo-a",
        "198.18.0.1:7380",
        Instant.parse("2025-06-01T12:00:00Z"),
        jvmRoot,
        javaHome,
        () -> Optional.of(new CriuVersion(4, 2, 0)),
        fingerprints);
  }

  @Test
  void listsEachJdkOnceWithItsRuntimeVersionAndFingerprint() throws Exception {
    Path root = Files.createDirectories(dir.toRealPath().resolve("jvm"));
    Path one = FakeJdk.create(root.resolve("jdk-1"), "one");
    Files.createSymbolicLink(root.resolve("jdk-link"), one);
    Files.createDirectories(root.resolve("not-a-jdk"));
    Path home = FakeJdk.create(dir.toRealPath().resolve("home"), "home");

    NodeFacts facts = collector(root, home).collect();

    assertThat(facts.jdks())
        .as("the JDKs in the JVM directory (a link to one counted once) and java.home")
        .extracting(JdkFacts::home, JdkFacts::runtimeVersion)
        .containsExactly(
            tuple(one.toString(), "17.0.15+6-one"), tuple(home.toString(), "17.0.15+6-home"));
    assertThat(facts.jdks().get(0).fingerprint())
        .as("fingerprint of the JDK's libjvm.so and lib/modules")
        .isEqualTo(Jdks.fingerprint(one, fingerprints))
        .isNotEqualTo(facts.jdks().get(1).fingerprint());
  }

  @Test
  void aJdksFingerprintChangesWithItsModules() throws Exception {
    Path jdk = FakeJdk.create(dir.resolve("jdk"), "one");
    String before = Jdks.fingerprint(jdk, fingerprints);
    Files.writeString(jdk.resolve(Jdks.MODULES), "another modules image");
    assertThat(Jdks.fingerprint(jdk, fingerprints))
        .as("after lib/modules changed")
        .isNotEqualTo(before);
  }

  @Test
  void describesThisHost() throws Exception {
    NodeFacts facts =
        collector(dir.resolve("none"), Path.of(System.getProperty("java.home"))).collect();
    assertThat(facts.name()).isEqualTo("cryo-a");
    assertThat(facts.kernel()).as("kernel release").isNotBlank();
    assertThat(facts.cpuFlags()).as("CPU flags of this host").isNotEmpty();
    assertThat(facts.memoryTotalBytes()).as("memory of this host").isPositive();
    assertThat(facts.criuVersion()).isEqualTo("4.2.0");
    assertThat(facts.jdks()).as("the running JDK").hasSize(1);
    assertThat(facts.startedAt()).isEqualTo("2025-06-01T12:00:00Z");
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    NodeFacts facts = collector(dir, Path.of(System.getProperty("java.home"))).collect();
    assertThat(json.readValue(json.writeValueAsString(facts), NodeFacts.class))
        .as("facts read back from their JSON")
        .isEqualTo(facts);
  }
}
