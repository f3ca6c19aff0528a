package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostFactsTest {
  @Test
  void checkpointingNeedsSysAdminOrCheckpointRestoreWithPtrace() {
    long sysAdmin = 1L << HostFacts.CAP_SYS_ADMIN;
    long cr = 1L << HostFacts.CAP_CHECKPOINT_RESTORE;
    long ptrace = 1L << HostFacts.CAP_SYS_PTRACE;
    assertThat(HostFacts.canCheckpoint(sysAdmin)).isTrue();
    assertThat(HostFacts.canCheckpoint(cr | ptrace)).isTrue();
    assertThat(HostFacts.canCheckpoint(cr)).isFalse();
    assertThat(HostFacts.canCheckpoint(0)).isFalse();
  }

  @Test
  void readsCpuFlagsAndModelOfTheFirstProcessor() {
    List<String> cpuinfo =
        List.of(
            "processor\t: 0",
            "model name\t: Intel(R) Xeon(R) Processor",
            "flags\t\t: fpu sse2 avx2",
            "processor\t: 1",
            "model name\t: Other",
            "flags\t: fpu");
    assertThat(HostFacts.cpuFlags(cpuinfo)).containsExactly("fpu", "sse2", "avx2");
    assertThat(HostFacts.cpuModel(cpuinfo))
        .as("the first processor's model name")
        .contains("Intel(R) Xeon(R) Processor");
    assertThat(HostFacts.cpuModel(List.of("flags\t: fpu"))).as("a cpuinfo without model").isEmpty();
  }

  @Test
  void readingTheResourceLimitsOfOtherUsersNeedsCapSysResourceWhichIsBit24() {
    assertThat(HostFacts.canReadResourceLimitsOfOthers(1L << 24))
        .as("CAP_SYS_RESOURCE alone")
        .isTrue();
    assertThat(HostFacts.canReadResourceLimitsOfOthers(0x1fffeffffffL))
        .as("every capability but CAP_SYS_RESOURCE, as root has it in a container that drops it")
        .isFalse();
  }

  @Test
  void namesUsersAndGroupsFromTheirDatabaseLines() {
    List<String> passwd =
        List.of(
            "root:x:0:0:root:/root:/bin/bash",
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin");
    assertThat(HostFacts.nameOf(65534, passwd)).as("uid 65534 in /etc/passwd").contains("nobody");
    assertThat(HostFacts.nameOf(1000, passwd)).as("a uid without a line").isEmpty();
    assertThat(HostFacts.nameOf(0, List.of("nogroup:x:65534:", "root:x:0:")))
        .as("gid 0 in /etc/group")
        .contains("root");
  }
}
