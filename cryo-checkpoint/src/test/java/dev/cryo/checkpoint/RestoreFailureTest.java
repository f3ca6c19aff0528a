package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.criu.CriuOperationException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restore refuses, and what a failed one leaves, with a fake CRIU and made-up processes. */
class RestoreFailureTest {
  private static final int ROOT = 1010;
  private static final int CHILD = 1020;
  private static final RestoreOptions OPTIONS =
      new RestoreOptions(Map.of(), null, false, Map.of(), false);

  @TempDir Path tmp;

  private ImageStore store;
  private final FakeCriu criu = new FakeCriu();
  private final FakeProcessTable processes = new FakeProcessTable().withTree(ROOT, CHILD);
  private final FakeProcessTable.FakeClock clock = new FakeProcessTable.FakeClock();
  private final List<String> notices = new ArrayList<>();
  private CheckpointService service;
  private StoredCheckpoint checkpoint;

  @BeforeEach
  void checkpointATreeThatTheDumpEnded() throws Exception {
    store = ImageStore.open(tmp.resolve("store"));
    service = new CheckpointService(store, () -> criu, processes, clock);
    checkpoint =
        service
            .checkpoint(
                new CheckpointRequest(
                    ROOT, "web", false, Duration.ofSeconds(5), false, null, false, false, 0, false),
                notices::add)
            .checkpoint();
    processes.end(ROOT);
    processes.end(CHILD);
  }

  @Test
  void aCheckpointWhosePidsAreFreeIsRestoredByCriuFromItsImages() throws Exception {
    RestoreResult result = service.restore(checkpoint, OPTIONS, notices::add);

    assertThat(result.pid()).isEqualTo(criu.restoredPid);
    assertThat(criu.restores)
        .singleElement()
        .satisfies(o -> assertThat(o.imagesDir()).contains(checkpoint.imagesDir()));
  }

  @Test
  void aPidTakenByAnotherProcessRefusesTheRestoreBeforeCriuIsAsked() {
    processes.holders.put(CHILD, new ProcessTable.PidHolder("nginx", false));

    assertThatThrownBy(() -> service.restore(checkpoint, OPTIONS, notices::add))
        .isInstanceOf(PidInUseException.class)
        .hasMessage(
            "PID "
                + CHILD
                + ", which checkpoint web must restore into, is in use by 'nginx'; "
                + "stop that process first, or restore where PID "
                + CHILD
                + " is free");
    assertThat(criu.restores).isEmpty();
  }

  @Test
  void aDeadOriginalNotYetReapedIsWaitedForUntilItsPidIsFree() throws Exception {
    ProcessTable.PidHolder zombie = new ProcessTable.PidHolder("java", true);
    processes.holdersOverTime.put(
        ROOT, new ArrayList<>(List.of(Optional.of(zombie), Optional.of(zombie))));

    service.restore(checkpoint, OPTIONS, notices::add);

    assertThat(clock.nanoTime()).as("two short waits").isEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(criu.restores).hasSize(1);
  }

  @Test
  void aZombieThatOutlivesTheGraceIsReportedAsHoldingThePid() {
    processes.holders.put(ROOT, new ProcessTable.PidHolder("java", true));

    assertThatThrownBy(() -> service.restore(checkpoint, OPTIONS, notices::add))
        .isInstanceOf(PidInUseException.class)
        .hasMessageContaining("is in use by 'java' (exited, not yet reaped by its parent)");
    assertThat(clock.nanoTime())
        .as("given the whole grace")
        .isGreaterThanOrEqualTo(RestoreAttempt.ZOMBIE_GRACE.toNanos());
    assertThat(criu.restores).isEmpty();
  }

  @Test
  void aDamagedImageNeverRunsItIsEndedWhileStoppedAndIsLeftInPlace() throws Exception {
    Path pages = checkpoint.imagesDir().resolve("pages-1.img");
    Files.writeString(pages, "PAGES of the tree");

    assertThatThrownBy(() -> service.restore(checkpoint, OPTIONS, notices::add))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("images/pages-1.img does not match its CRC32C");
    assertThat(criu.restores)
        .as("CRIU restores while the images are checked, leaving the tree stopped")
        .allSatisfy(o -> assertThat(o.leaveStopped()).isTrue());
    assertThat(processes.continued).as("the damaged tree was never continued").isEmpty();
    assertThat(processes.killed).as("the damaged tree was ended").contains(criu.restoredPid);
    assertThat(pages).exists();
  }

  @Test
  void aRestoreThatCriuFailsLeavesTheCheckpointIntactForAnotherTry() throws Exception {
    criu.failRestore = true;

    assertThatThrownBy(() -> service.restore(checkpoint, OPTIONS, notices::add))
        .isInstanceOf(CriuOperationException.class)
        .hasMessageContaining("Restoring FAILED");

    assertThat(store.verify(store.resolve("web")))
        .as("the checkpoint verifies as before")
        .isEmpty();
    criu.failRestore = false;
    assertThat(service.restore(checkpoint, OPTIONS, notices::add).pid())
        .isEqualTo(criu.restoredPid);
  }
}
