package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standbys and the stopped restores beneath every restore, with a fake CRIU and processes. */
class StandbyTest {
  private static final int ROOT = 1010;
  private static final RestoreOptions OPTIONS =
      new RestoreOptions(Map.of(), null, false, Map.of(), false);

  @TempDir Path tmp;

  private final FakeCriu criu = new FakeCriu();
  private final FakeProcessTable processes = new FakeProcessTable().withTree(ROOT);
  private final List<String> notices = new ArrayList<>();
  private CheckpointService service;
  private StoredCheckpoint checkpoint;

  @BeforeEach
  void checkpointATreeThatTheDumpEnded() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    service = new CheckpointService(store, () -> criu, processes, new FakeProcessTable.FakeClock());
    checkpoint =
        service
            .checkpoint(
                new CheckpointRequest(
                    ROOT, "web", false, Duration.ofSeconds(5), false, null, false, false, 0, false),
                notices::add)
            .checkpoint();
    processes.end(ROOT);
  }

  @Test
  void aStandbyIsRestoredStoppedWithItsConnectionsClosedAndRunsOnlyOnceResumed() throws Exception {
    Standby standby = service.prepare(checkpoint, OPTIONS, notices::add);

    assertThat(criu.restores)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.leaveStopped()).as("left stopped").isTrue();
              assertThat(o.tcpClose()).as("its TCP connections closed").isTrue();
              assertThat(o.tcpEstablished()).as("none restored connected").isFalse();
            });
    assertThat(processes.continued).as("nothing runs before the resume").isEmpty();

    standby.resume();

    assertThat(processes.continued).as("the resume continues it").containsExactly(standby.pid());
  }

  @Test
  void aStandbyWhoseImagesFailVerificationIsEndedAtItsResumeWithoutEverRunning() throws Exception {
    Files.writeString(checkpoint.imagesDir().resolve("pages-1.img"), "PAGES of the tree");
    Standby standby = service.prepare(checkpoint, OPTIONS, notices::add);

    assertThatThrownBy(standby::resume)
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("pages-1.img does not match its CRC32C");
    assertThat(processes.continued).as("it never ran").isEmpty();
    assertThat(processes.killed).as("it was ended").contains(standby.pid());
  }

  @Test
  void aRestoreContinuesTheTreeThatCriuLeftStoppedOnceItsImagesHavePassed() throws Exception {
    RestoreResult result = service.restore(checkpoint, OPTIONS, notices::add);

    assertThat(criu.restores)
        .singleElement()
        .satisfies(o -> assertThat(o.leaveStopped()).as("restored stopped").isTrue());
    assertThat(processes.continued).as("then continued").containsExactly(result.pid());
    assertThat(result.verifyTime()).as("the verification's own time is reported").isNotNull();
  }

  @Test
  void aStandbyCannotBeLazy() {
    assertThatThrownBy(
            () ->
                service.prepare(
                    checkpoint, new RestoreOptions(Map.of(), null, false, Map.of(), true), n -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory in place");
  }
}
