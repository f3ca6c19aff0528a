package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.linux.HostFacts;
import dev.cryo.testkit.CryoCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cryo doctor} on this machine, with and without CRIU. */
class DoctorIT {
  @TempDir Path tmp;

  @Test
  void onThisMachineEverythingNeededIsPresent() throws Exception {
    CryoCli.Result result = new CryoCli(tmp.resolve("store")).run("doctor");

    assertThat(result.exitCode()).as(result.describe("exit 0")).isZero();
    assertThat(result.stdout())
        .contains("[ok     ] criu")
        .contains("[ok     ] criu check")
        .contains("[ok     ] privileges")
        .contains("[ok     ] network lock")
        .contains("[ok     ] image store")
        .contains("Cryo is ready")
        .doesNotContain("[missing]");
  }

  @Test
  void itReportsCapSysResourceAsThisMachineHasItAndOnlyWarnsWithoutIt() throws Exception {
    boolean granted = HostFacts.canReadResourceLimitsOfOthers(HostFacts.effectiveCapabilities());

    CryoCli.Result result = new CryoCli(tmp.resolve("store")).run("doctor");

    assertThat(result.exitCode())
        .as(result.describe("exit 0 whether or not CAP_SYS_RESOURCE is there"))
        .isZero();
    if (granted) {
      assertThat(result.stdout())
          .as(result.describe("CAP_SYS_RESOURCE reported present"))
          .contains("[ok     ] CAP_SYS_RESOURCE present");
    } else {
      assertThat(result.stdout())
          .as(result.describe("CAP_SYS_RESOURCE reported missing, as a warning with advice"))
          .contains(
              "[warn   ] CAP_SYS_RESOURCE missing: trees whose processes run as a user or group other than "
                  + "cryo's cannot be checkpointed")
          .contains("-> for programs that switch users");
    }
  }

  @Test
  void itReportsTheNftToolThatReleasesNetworkLocks() throws Exception {
    CryoCli.Result result = new CryoCli(tmp.resolve("store")).run("doctor");

    assertThat(result.stdout())
        .as(result.describe("nft reported installed (this machine has nftables)"))
        .contains("[ok     ] nft              installed");
  }

  @Test
  void withoutCriuOnThePathItSaysWhatIsMissingAndHowToInstallIt() throws Exception {
    CryoCli.Result result =
        new CryoCli(tmp.resolve("store")).withPath("/usr/bin:/bin").run("doctor");

    assertThat(result.exitCode()).as(result.describe("exit 9")).isEqualTo(9);
    assertThat(result.stdout())
        .contains("[missing] criu")
        .contains("criu is not installed")
        .contains("scripts/install-criu")
        .contains("cannot checkpoint or restore here");
  }
}
