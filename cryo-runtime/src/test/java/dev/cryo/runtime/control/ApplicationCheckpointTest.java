package dev.cryo.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.protocol.Reply;
import dev.cryo.runtime.CheckpointRefusedException;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Priority;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.notify.ResourceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint the application asks for, where cryo cannot be started: the application hears why,
 * its resources are told the checkpoint was aborted, and the process can checkpoint again.
 */
class ApplicationCheckpointTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  private CheckpointParticipation participation(Exception refusal) {
    ResourceRegistry registry = new ResourceRegistry();
    registry.register(
        new CheckpointResource() {
          @Override
          public void beforeCheckpoint() throws Exception {
            events.add("before");
            if (refusal != null) {
              throw refusal;
            }
          }

          @Override
          public void afterRestore(Resumption resumption) {
            events.add("after " + resumption);
          }
        },
        Priority.APPLICATION,
        Duration.ofSeconds(5));
    return new CheckpointParticipation(registry, ArrayList::new, new SelfCheckpointLauncher(null));
  }

  @Test
  void aLauncherWithoutAControlSocketFailsSayingWhy() {
    SelfCheckpointLauncher.Launch launch =
        new SelfCheckpointLauncher(null)
            .launchAndAwait(new CompletableFuture<>(), pid -> events.add("started " + pid));

    assertThat(launch)
        .isInstanceOfSatisfying(
            SelfCheckpointLauncher.Launch.Failed.class,
            failed -> assertThat(failed.reason()).contains("control socket could not be opened"));
    assertThat(events).as("no cryo was started").isEmpty();
  }

  @Test
  void whenCryoCannotBeStartedTheCheckpointIsRefusedAndResourcesToldAborted() {
    CheckpointParticipation participation = participation(null);

    assertThatThrownBy(participation::checkpointRestore)
        .isInstanceOf(CheckpointRefusedException.class)
        .hasMessageContaining("control socket could not be opened");
    assertThat(events).containsExactly("before", "after ABORTED");

    assertThatThrownBy(participation::checkpointRestore)
        .as("the round has ended: another may start")
        .isInstanceOf(CheckpointRefusedException.class)
        .hasMessageContaining("control socket could not be opened");
  }

  @Test
  void aResourceThatRefusesRefusesTheApplicationsCheckpointToo() {
    CheckpointParticipation participation = participation(new IllegalStateException("busy"));

    assertThatThrownBy(participation::checkpointRestore)
        .isInstanceOf(CheckpointRefusedException.class)
        .hasMessageContaining("busy");
    assertThat(events).as("the refusing resource prepared nothing").containsExactly("before");
  }

  @Test
  void anOutcomeForACheckpointNeverPendingIsAnError() {
    assertThat(participation(null).onOutcome("never", Resumption.RESUMED, null))
        .isEqualTo(new Reply.Error("no checkpoint never is in progress in this process"));
  }
}
