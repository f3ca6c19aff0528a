package dev.cryo.host;

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
  void readsEffectiveCapabilitiesFromStatus() {
    assertThat(HostFacts.effectiveCapabilities(List.of("Name:\tx", "CapEff:\t000001ffffffffff"))).isEqualTo(0x1ffffffffffL);
  }

  @Test
  void readsCpuFlagsOfTheFirstProcessor() {
    List<String> cpuinfo = List.of("processor\t: 0", "flags\t\t: fpu sse2 avx2", "processor\t: 1", "flags\t: fpu");
    assertThat(HostFacts.cpuFlags(cpuinfo)).containsExactly("fpu", "sse2", "avx2");
  }
}
