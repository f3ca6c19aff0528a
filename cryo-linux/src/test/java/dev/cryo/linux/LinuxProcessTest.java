package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinuxProcessTest {
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
    assertThat(LinuxProcess.tracerOf((int) self)).as("nobody traces this JVM").isZero();
  }

  @Test
  void walksUpAProcesssAncestors() {
    long self = ProcessHandle.current().pid();
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    assertThat(LinuxProcess.ancestry(self)).startsWith(self, parent);
    assertThat(LinuxProcess.isSelfOrAncestor(self, self)).isTrue();
    assertThat(LinuxProcess.isSelfOrAncestor(parent, self))
        .as("the parent is an ancestor")
        .isTrue();
    assertThat(LinuxProcess.isSelfOrAncestor(self, parent)).as("a child is not").isFalse();
    assertThat(LinuxProcess.ancestry(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
  }

  @Test
  void readsTheIdsAndUserNamespaceOfThisJvm() {
    int self = (int) ProcessHandle.current().pid();
    assertThat(LinuxProcess.idsOf(self)).as("this JVM's ids").isPresent();
    assertThat(LinuxProcess.userNamespaceOf(self))
        .as("this JVM's user namespace")
        .hasValueSatisfying(ns -> assertThat(ns).startsWith("user:["));
    assertThat(LinuxProcess.idsOf(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
  }
}
