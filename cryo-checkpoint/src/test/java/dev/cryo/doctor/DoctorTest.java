package dev.cryo.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The findings that warn without keeping Cryo from working: CAP_SYS_RESOURCE and the nft tool. */
class DoctorTest {
  private static final long CAP_SYS_RESOURCE = 1L << 24;

  /**
   * Root's capabilities in a container that drops CAP_SYS_RESOURCE, as on the project's machines.
   */
  private static final long ALL_BUT_SYS_RESOURCE = 0x1fffeffffffL;

  private static void assertIsAWarningAbout(String subject, Finding finding) {
    assertThat(finding.status())
        .as("a warning, not a missing piece")
        .isEqualTo(Finding.Status.WARN);
    assertThat(finding.subject()).as("what the warning is about").isEqualTo(subject);
  }

  @Test
  void withoutCapSysResourceDoctorWarnsThatTreesOfOtherUsersCannotBeCheckpointed() {
    Finding finding = Doctor.resourceLimits(ALL_BUT_SYS_RESOURCE);

    assertIsAWarningAbout("CAP_SYS_RESOURCE", finding);
    assertThat(finding.detail())
        .as("what cannot be checkpointed")
        .startsWith("missing: ")
        .contains("other than cryo's");
    assertThat(finding.advice())
        .as("what to do")
        .contains("CAP_SYS_RESOURCE")
        .contains("--cap-add SYS_RESOURCE");
  }

  @Test
  void withCapSysResourceDoctorReportsItPresent() {
    Finding finding = Doctor.resourceLimits(ALL_BUT_SYS_RESOURCE | CAP_SYS_RESOURCE);

    assertThat(finding.status()).isEqualTo(Finding.Status.OK);
    assertThat(finding.advice()).as("nothing to do").isEmpty();
  }

  @Test
  void aMissingNftToolIsAWarningWithHowToInstallIt() {
    Finding finding = Doctor.nftTool(false);

    assertIsAWarningAbout("nft", finding);
    assertThat(finding.detail()).startsWith("not installed: ");
    assertThat(finding.advice()).isEqualTo("apt-get install nftables");
  }

  @Test
  void anInstalledNftToolIsReportedPresent() {
    assertThat(Doctor.nftTool(true).status()).isEqualTo(Finding.Status.OK);
  }

  @Test
  void warningsLeaveTheMachineReady() {
    List<Finding> findings =
        List.of(
            Finding.ok("kernel", "Linux"),
            Doctor.resourceLimits(ALL_BUT_SYS_RESOURCE),
            Doctor.nftTool(false));

    assertThat(Doctor.ready(findings)).as("ready despite the two warnings").isTrue();
    assertThat(Doctor.ready(List.of(Finding.missing("criu", "not installed", "install it"))))
        .as("not ready with a missing piece")
        .isFalse();
  }
}
