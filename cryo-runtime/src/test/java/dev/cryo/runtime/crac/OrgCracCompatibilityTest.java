package dev.cryo.runtime.crac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.runtime.agent.RuntimeBootstrap;
import dev.cryo.runtime.notify.Registration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract {@code org.crac} relies on, checked with the real {@code org.crac} jar: it finds
 * this runtime through {@code org.crac.Core.Compat}, registers resources with it, and gets its
 * checkpoint failures back as {@code org.crac.CheckpointException} with the reason kept.
 */
class OrgCracCompatibilityTest {
  private static final List<String> events = new CopyOnWriteArrayList<>();

  @TempDir static Path tmp;

  @BeforeAll
  static void pointOrgCracAtThisRuntime() throws Exception {
    System.setProperty("org.crac.Core.Compat", "dev.cryo.runtime.crac");
    System.setProperty("cryo.control.dir", tmp.resolve("control").toString());
    System.setProperty("cryo.command", "/nonexistent/cryo");
  }

  private static final class Recording implements Resource {
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
      events.add("before");
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
      events.add("after");
    }

    @Override
    public String toString() {
      return "recording";
    }
  }

  @Test
  void aResourceRegisteredThroughOrgCracIsInTheRuntimesRegistryUnderItsOwnName() {
    Recording resource = new Recording();
    Core.getGlobalContext().register(resource);

    List<String> names =
        RuntimeBootstrap.get().registry().checkpointOrder().stream()
            .map(Registration::name)
            .toList();

    assertThat(names).as("registered application resources, by name").contains("recording");
  }

  @Test
  void
      aCheckpointThatCannotBeTakenReachesOrgCracAsCheckpointExceptionWithItsReasonAndResourcesAreResumed() {
    Recording resource = new Recording();
    Core.getGlobalContext().register(resource);
    events.clear();

    assertThatThrownBy(Core::checkpointRestore)
        .isInstanceOf(CheckpointException.class)
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .as("the reason, kept by org.crac as a suppressed exception")
                    .anySatisfy(
                        s ->
                            assertThat(s.getMessage())
                                .contains("/nonexistent/cryo")
                                .contains("-Dcryo.command")));
    assertThat(events)
        .as("the resource was prepared, then told the checkpoint was aborted")
        .containsExactly("before", "after");
  }

  @Test
  void theControlSocketIsPrivateToItsUser() throws Exception {
    Path socket = RuntimeBootstrap.get().controlSocket().orElseThrow();

    assertThat(socket.getFileName().toString())
        .isEqualTo(ProcessHandle.current().pid() + ".cryo.sock");
    assertThat(Files.getPosixFilePermissions(socket.getParent()))
        .as("control directory mode")
        .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rwx------"));
  }
}
