package dev.cryo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryoCliTest {
  @TempDir Path tmp;

  /** A checkout whose bin/cryo prints its arguments and PATH, and fails when asked to. */
  private Path checkout() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("home/bin")).resolve("cryo");
    Files.writeString(
        bin,
        "#!/bin/sh\necho \"$*\"\necho \"PATH=$PATH JAVA_HOME=$JAVA_HOME\" >&2\n"
            + "case \"$*\" in *fail*) exit 3 ;; esac\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin.getParent().getParent();
  }

  @Test
  void eachRunIsGivenTheStoreAndItsOutputIsKeptInTheScratchDirectory() throws Exception {
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Path store = tmp.resolve("store");
    CryoCli cryo = new CryoCli(checkout(), store, scratch);

    CryoCli.Result result = cryo.run("list", "--all").assertOk();

    assertThat(result.command())
        .containsExactly(
            tmp.resolve("home/bin/cryo").toString(), "--store", store.toString(), "list", "--all");
    assertThat(result.firstLine()).isEqualTo("--store " + store + " list --all");
    assertThat(result.stderrLines())
        .singleElement()
        .asString()
        .endsWith("JAVA_HOME=" + System.getProperty("java.home"));
    assertThat(scratch.resolve("cryo-1.out")).hasContent(result.stdout());
    assertThat(cryo.runWithoutStore("doctor").firstLine()).isEqualTo("doctor");
    assertThat(scratch.resolve("cryo-2.out")).exists();
  }

  @Test
  void aFailedRunSaysWhatRanAndWhatItPrinted() throws Exception {
    CryoCli cryo = new CryoCli(checkout(), tmp.resolve("store"), null);

    CryoCli.Result failed = cryo.run("fail");

    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.describe("expected success"))
        .startsWith("expected success from ")
        .contains("--store " + tmp.resolve("store") + " fail but got exit 3\n--- stdout\n--store ")
        .contains("--- stderr\nPATH=");
    assertThatThrownBy(failed::assertOk)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but got exit 3");
  }

  @Test
  void thePathCanBeReplacedOrExtended() throws Exception {
    CryoCli cryo = new CryoCli(checkout(), tmp.resolve("store"), null);

    assertThat(cryo.withPath("/usr/bin:/bin").run("x").stderr()).startsWith("PATH=/usr/bin:/bin ");
    String inherited = System.getenv("PATH");
    assertThat(cryo.withPathIncluding("/opt/criu/sbin").run("x").stderr())
        .startsWith("PATH=/opt/criu/sbin:" + inherited + " ");
    String first = inherited.split(":")[0];
    assertThat(cryo.withPathIncluding(first).run("x").stderr())
        .startsWith("PATH=" + inherited + " ");
  }

  @Test
  void cryosSummaryLinesAreRead() {
    String checkpoint =
        "checkpointed PID 123 as spring: 36.3 MiB of images; dump 0.233 s, total 0.475 s; "
            + "the process was ended";
    assertThat(CryoCli.imageSize(checkpoint)).isEqualTo("36.3 MiB");
    assertThat(CryoCli.checkpointed(checkpoint)).isEqualTo(new CryoCli.Checkpointed(0.233, 0.475));
    assertThat(
            CryoCli.compression(
                "checkpointed PID 1 as x: 24.8 MiB of images (memory compressed from 108.6 MiB "
                    + "to 24.7 MiB); dump 0.2 s, total 0.5 s"))
        .isEqualTo(new CryoCli.Compression(113875354, 25899827));
    CryoCli.Restored r =
        CryoCli.restored(
            "cryo: a notice\nrestored spring as PID 123: verify 0.071 s, restore 0.148 s\n");
    assertThat(r.pid()).isEqualTo(123);
    assertThat(r.verifySeconds()).isEqualTo(0.071);
    assertThat(r.restoreSeconds()).isEqualTo(0.148);
    assertThat(r.criuOwnSeconds()).as("no account of CRIU's own").isNaN();
    assertThat(
            CryoCli.restored(
                    "restored spring as PID 123: verify 0.071 s, restore 0.148 s (verified while"
                        + " CRIU restored it stopped); CRIU: forking 0.001 s, 8798 pages read in,"
                        + " 0.042 s in all\n")
                .criuOwnSeconds())
        .isEqualTo(0.042);
  }

  @Test
  void aRunsEventsAreReadWithTheirTimesAndACheckpointsPause() throws Exception {
    CryoCli.RunEvent e =
        CryoCli.parseEvent(
            "{\"time\":\"2026-12-02T06:46:10.465969306Z\",\"type\":\"checkpointed\","
                + "\"message\":\"checkpoint 20261202-064604-1852e8: 125.5 MiB of images; program paused 0.801 s, 6.030 s in "
                + "all; coordinated with PID 23825\",\"checkpoint\":\"20261202-064604-1852e8\"}");

    assertThat(e.instant()).isEqualTo(Instant.parse("2026-12-02T06:46:10.465969306Z"));
    assertThat(e.endsCheckpoint()).isTrue();
    assertThat(e.checkpointed()).contains(new CryoCli.Checkpointed(0.801, 6.030));

    CryoCli.RunEvent failed =
        CryoCli.parseEvent(
            "{\"time\":\"2026-12-02T06:46:11Z\",\"type\":\"checkpoint-failed\","
                + "\"message\":\"CRIU failed: \\\"dump\\\" ended; the program keeps running\"}");
    assertThat(failed.endsCheckpoint()).isTrue();
    assertThat(failed.checkpointed()).isEmpty();
    assertThat(failed.message())
        .isEqualTo("CRIU failed: \"dump\" ended; the program keeps running");
  }
}
