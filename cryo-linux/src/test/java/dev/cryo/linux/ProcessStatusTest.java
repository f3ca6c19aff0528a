package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStatusTest {
  private static final List<String> STATUS =
      List.of(
          "Name:\tsleep",
          "State:\tS (sleeping)",
          "TracerPid:\t812",
          "Uid:\t65534\t33\t0\t33",
          "Gid:\t65534\t65534\t4294967295\t65534",
          "NSpid:\t4242\t17\t2",
          "VmRSS:\t    1024 kB",
          "CapEff:\t000001ffffffffff");

  @Test
  void readsThePidsOfEachNamespaceOutermostFirst() {
    assertThat(ProcessStatus.parse(STATUS).namespacePids()).containsExactly(4242, 17, 2);
    assertThat(ProcessStatus.parse(List.of("Name:\tx")).namespacePids())
        .as("a kernel without NSpid")
        .isEmpty();
  }

  @Test
  void readsRealEffectiveAndSavedIds() {
    assertThat(ProcessStatus.parse(STATUS).ids())
        .as("the ids of the Uid: and Gid: lines")
        .contains(new LinuxProcess.Ids(65534, 33, 0, 65534, 65534, -1));
    assertThat(ProcessStatus.parse(List.of("Name:\tx")).ids()).as("a status without ids").isEmpty();
  }

  @Test
  void readsTheResidentSetSizeInBytes() {
    assertThat(ProcessStatus.parse(STATUS).residentBytes())
        .as("VmRSS of 1024 kB")
        .hasValue(1024 * 1024);
    assertThat(ProcessStatus.parse(List.of("Name:\tx")).residentBytes())
        .as("a status without VmRSS")
        .isEmpty();
  }

  @Test
  void readsTracerCapabilitiesAndAnyOtherField() {
    ProcessStatus status = ProcessStatus.parse(STATUS);
    assertThat(status.tracerPid()).isEqualTo(812);
    assertThat(status.effectiveCapabilities()).isEqualTo(0x1ffffffffffL);
    assertThat(status.field("VmRSS")).contains("1024 kB");
    assertThat(status.field("State")).contains("S (sleeping)");
    assertThat(ProcessStatus.parse(List.of()).tracerPid()).isZero();
    assertThat(ProcessStatus.parse(List.of()).effectiveCapabilities()).isZero();
  }

  @Test
  void readsAFileAndThisJvmsOwn(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("status"), STATUS);
    assertThat(ProcessStatus.read(file).map(ProcessStatus::tracerPid)).contains(812);
    assertThat(ProcessStatus.read(dir.resolve("missing"))).isEmpty();
    assertThat(ProcessStatus.self())
        .hasValueSatisfying(s -> assertThat(s.namespacePids()).isNotEmpty());
    assertThat(NamespacePids.innermost((int) ProcessHandle.current().pid())).isPresent();
    assertThat(NamespacePids.innermost(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
  }
}
