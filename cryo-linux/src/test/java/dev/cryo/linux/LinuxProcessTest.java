package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinuxProcessTest {
  @Test
  void parsesStatEvenWhenTheNameHoldsSpacesAndParentheses() {
    LinuxProcess p = LinuxProcess.parseStat(
        "4242 (my (odd) name) S 1 4240 4200 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 9 0 123456 999 ...", List.of("x"));
    assertThat(p.pid()).isEqualTo(4242);
    assertThat(p.name()).isEqualTo("my (odd) name");
    assertThat(p.state()).isEqualTo('S');
    assertThat(p.processGroup()).isEqualTo(4240);
    assertThat(p.session()).isEqualTo(4200);
    assertThat(p.parent()).isEqualTo(1);
    assertThat(p.startTime()).as("field 22, starttime").isEqualTo(123456);
  }

  @Test
  void aTreeWhoseSessionLeaderIsOutsideIsAShellJob() {
    LinuxProcess p = new LinuxProcess(10, "sh", 'S', 1, 10, 5, 0, List.of());
    assertThat(p.isShellJob(List.of(10, 11))).isTrue();
    LinuxProcess leader = new LinuxProcess(10, "sh", 'S', 1, 10, 10, 0, List.of());
    assertThat(leader.isShellJob(List.of(10, 11))).isFalse();
  }

  @Test
  void readsThisJvmFromProc() {
    long self = ProcessHandle.current().pid();
    LinuxProcess me = LinuxProcess.of((int) self).orElseThrow();
    assertThat(me.command()).isNotEmpty();
    assertThat(me.tree()).startsWith((int) self);
    assertThat(me.isSelfOrAncestor()).isTrue();
    assertThat(LinuxProcess.of(Integer.MAX_VALUE)).isEmpty();
    assertThat(LinuxProcess.isRunning((int) self)).as("this JVM runs").isTrue();
    assertThat(LinuxProcess.isRunning(Integer.MAX_VALUE)).as("no process has this PID").isFalse();
  }

  @Test
  void readsRealEffectiveAndSavedIdsFromStatus() {
    List<String> status = List.of("Name:\tsleep", "Uid:\t65534\t33\t0\t33", "Gid:\t65534\t65534\t4294967295\t65534");
    assertThat(LinuxProcess.parseIds(status)).as("the ids of the Uid: and Gid: lines")
        .contains(new LinuxProcess.Ids(65534, 33, 0, 65534, 65534, -1));
    assertThat(LinuxProcess.parseIds(List.of("Name:\tx"))).as("a status without ids").isEmpty();
  }

  @Test
  void readsTheIdsAndUserNamespaceOfThisJvm() {
    int self = (int) ProcessHandle.current().pid();
    assertThat(LinuxProcess.idsOf(self)).as("this JVM's ids").isPresent();
    assertThat(LinuxProcess.userNamespaceOf(self)).as("this JVM's user namespace")
        .hasValueSatisfying(ns -> assertThat(ns).startsWith("user:["));
    assertThat(LinuxProcess.idsOf(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
  }
}
