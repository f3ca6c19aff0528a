package dev.cryo.node.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitCheckTest {
  @TempDir Path dir;
  private final FileFingerprints fingerprints = new FileFingerprints();

  private static NodeFacts node(List<String> cpuFlags, String criu) {
    return new NodeFacts(
        "cryo-b",
        "6.1.0",
        criu,
        "Test CPU",
        cpuFlags,
        1 << 30,
        1 << 29,
        List.of(),
        "198.18.0.2:7380",
        "2025-01-01T00:00:00Z");
  }

  private static ProgramRequirements needs(
      Map<String, String> files, List<String> cpuFlags, String criu) {
    return new ProgramRequirements(new TreeMap<>(files), cpuFlags, criu);
  }

  @Test
  void fitsWhenEveryFileFlagAndCriuIsThere() throws Exception {
    Path jar = Files.writeString(dir.resolve("app.jar"), "app");
    Fit fit =
        FitCheck.evaluate(
            needs(Map.of(jar.toString(), fingerprints.sha256(jar)), List.of("fpu"), "4.2.0"),
            node(List.of("fpu", "avx2"), "4.2.1"),
            fingerprints);
    assertThat(fit).as("everything the program needs is here").isEqualTo(new Fit(true, ""));
  }

  @Test
  void doesNotFitWithoutARequiredFile() {
    Path jar = dir.resolve("app.jar");
    Fit fit =
        FitCheck.evaluate(
            needs(Map.of(jar.toString(), "00"), List.of(), null),
            node(List.of(), "4.2.0"),
            fingerprints);
    assertThat(fit.fits()).as("a required file is missing").isFalse();
    assertThat(fit.why()).isEqualTo("no " + jar + " here");
  }

  @Test
  void doesNotFitWithAnotherBuildOfAFile() throws Exception {
    Path libjvm = Files.writeString(dir.resolve("libjvm.so"), "another build");
    String needed = "5e6f7a8b" + "0".repeat(56);
    Fit fit =
        FitCheck.evaluate(
            needs(Map.of(libjvm.toString(), needed), List.of(), null),
            node(List.of(), "4.2.0"),
            fingerprints);
    assertThat(fit.fits()).as("a file with other content").isFalse();
    assertThat(fit.why())
        .isEqualTo(
            "another build of "
                + libjvm
                + " here (sha256 "
                + fingerprints.sha256(libjvm).substring(0, 8)
                + "…, the program needs 5e6f7a8b…)");
  }

  @Test
  void doesNotFitOnACpuLackingRequiredFlagsAndNamesThem() {
    Fit fit =
        FitCheck.evaluate(
            needs(Map.of(), List.of("fpu", "avx512f", "avx2", "sha_ni"), null),
            node(List.of("fpu", "avx2"), "4.2.0"),
            fingerprints);
    assertThat(fit.fits()).as("CPU flags missing here").isFalse();
    assertThat(fit.why()).isEqualTo("the CPU here lacks avx512f, sha_ni");
  }

  @Test
  void doesNotFitWithAnOlderOrNoCriu() {
    ProgramRequirements required = needs(Map.of(), List.of(), "4.2.0");
    assertThat(FitCheck.evaluate(required, node(List.of(), "4.1.1"), fingerprints))
        .isEqualTo(new Fit(false, "CRIU 4.1.1 here, the program needs 4.2.0 or later"));
    assertThat(FitCheck.evaluate(required, node(List.of(), null), fingerprints))
        .isEqualTo(new Fit(false, "no CRIU here, the program needs 4.2.0 or later"));
    assertThat(FitCheck.evaluate(required, node(List.of(), "4.3.0"), fingerprints).fits())
        .as("a newer CRIU")
        .isTrue();
  }

  @Test
  void namesEveryReason() {
    Fit fit =
        FitCheck.evaluate(
            needs(Map.of("/nonexistent/app.jar", "00"), List.of("avx2"), "4.2.0"),
            node(List.of(), "4.1.0"),
            fingerprints);
    assertThat(fit.why())
        .isEqualTo(
            "no /nonexistent/app.jar here; the CPU here lacks avx2;"
                + " CRIU 4.1.0 here, the program needs 4.2.0 or later");
  }

  @Test
  void aFitIsJson() throws Exception {
    assertThat(new ObjectMapper().writeValueAsString(new Fit(false, "no /a here")))
        .isEqualTo("{\"fits\":false,\"why\":\"no /a here\"}");
  }
}
