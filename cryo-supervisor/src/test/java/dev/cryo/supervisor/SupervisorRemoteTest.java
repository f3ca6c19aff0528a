package dev.cryo.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.DirectoryObjectStore;
import dev.cryo.repository.KeyFileException;
import dev.cryo.repository.RemoteRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervised run with a remote repository: uploads after each checkpoint, remote retention, and
 * the way back from the repository when the host's own checkpoints are gone. The checkpoints are
 * real ones in an image store, and the repository a real one on a directory; the program, CRIU and
 * time are fakes as in {@link SupervisorTest}. Uploads run on their own thread, in real time: the
 * tests wait for their events at moments of the fake time.
 */
class SupervisorRemoteTest {
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant RUN_BEGAN = START.minusSeconds(3600);
  private static final ExitStatus SIGKILL = ExitStatus.fromShell(128 + 9);
  private static final Duration EVERY = Duration.ofSeconds(10);
  private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private final FakeTimeSource ticker = new FakeTimeSource(START);
  private final FakeProgramProcesses processes = new FakeProgramProcesses(ticker);
  private ImageStore store;
  private FakeCheckpointer checkpointer;
  private Runs runs;
  private GatedObjectStore objects;
  private RemoteRepository repository;

  /** The one place the repository is made. */
  @BeforeEach
  void aStoreAndARemoteRepository() throws Exception {
    store = ImageStore.open(tmp.resolve("store"));
    checkpointer = new FakeCheckpointer(ticker, processes, store);
    runs = new Runs(store.root());
    objects = new GatedObjectStore(new DirectoryObjectStore(tmp.resolve("remote")));
    repository = RemoteRepository.init(objects, tmp.resolve("remote.key"), Optional.empty());
  }

  private RunDirectory run(int keep) throws Exception {
    return runs.create(
        RunSpec.builder("web", List.of("app"))
            .every(EVERY)
            .keep(keep)
            .createdAt(RUN_BEGAN.toString())
            .remote(
                new RunSpec.Remote(objects.location(), tmp.resolve("remote.key").toString(), null))
            .build());
  }

  private void supervise(RunDirectory run) throws IOException {
    supervise(run, new RemoteCheckpoints(objects.location(), () -> repository));
  }

  private void supervise(RunDirectory run, RemoteCheckpoints remote) throws IOException {
    new Supervisor(
            run,
            checkpointer,
            runs,
            (r, spec) -> processes.spawn(),
            processes,
            ticker,
            SettingNames.PLAIN,
            Optional.of(remote))
        .supervise();
  }

  /** Something a test does at a moment of the fake time, which may throw. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  private void at(Duration after, Step step) {
    ticker.at(
        after,
        () -> {
          try {
            step.run();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private void stopAt(Duration after, RunDirectory run) {
    at(after, run::requestStop);
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  /** Waits (in real time) until the run has recorded {@code count} events of {@code type}. */
  private static void awaitEvents(RunDirectory run, String type, int count) throws Exception {
    long deadline = System.nanoTime() + UPLOAD_TIMEOUT.toNanos();
    while (messages(run, type).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            count + " '" + type + "' events within " + UPLOAD_TIMEOUT + "; events: " + all(run));
      }
      Thread.sleep(10);
    }
  }

  private static List<String> messages(RunDirectory run, String type) throws IOException {
    return run.events().read().stream()
        .filter(e -> e.type().equals(type))
        .map(Event::message)
        .toList();
  }

  private static List<String> eventTypes(RunDirectory run) throws IOException {
    return run.events().read().stream().map(Event::type).toList();
  }

  private static List<String> all(RunDirectory run) throws IOException {
    return run.events().read().stream().map(e -> e.type() + ": " + e.message()).toList();
  }

  private static Event last(RunDirectory run, String type) throws IOException {
    List<Event> events = run.events().read();
    return events.stream()
        .filter(e -> e.type().equals(type))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no '" + type + "' event among " + events));
  }

  /** The ids of the checkpoints in the repository, oldest first. */
  private List<String> remoteIds() throws ImageStoreException {
    return repository.entries().stream().map(RemoteRepository.Entry::id).toList();
  }

  private void endTheProgramAt(Duration after) {
    ticker.at(after, () -> processes.end(processes.onlyRunning().initPid(), SIGKILL));
  }

  private void wipeTheStore() throws ImageStoreException {
    for (StoredCheckpoint checkpoint : store.list()) {
      store.delete(checkpoint);
    }
  }

  private void damage(String id) throws Exception {
    Path pages = store.resolve(id).imagesDir().resolve("pages-1.img");
    byte[] bytes = Files.readAllBytes(pages);
    bytes[100] ^= 0x01;
    Files.write(pages, bytes);
  }

  @Test
  void eachCheckpointIsUploadedOnceItIsPublishedAndEachUploadIsAnEvent() throws Exception {
    RunDirectory run = run(10);
    at(seconds(15), () -> awaitEvents(run, "uploaded", 1));
    at(seconds(25), () -> awaitEvents(run, "uploaded", 2));
    stopAt(seconds(26), run);

    supervise(run);

    List<String> taken = checkpointer.taken();
    assertThat(remoteIds()).as("the checkpoints in the repository").isEqualTo(taken);
    assertThat(eventTypes(run))
        .as("each upload follows its checkpoint")
        .containsSubsequence("checkpointed", "uploaded", "checkpointed", "uploaded");
    assertThat(last(run, "uploaded").checkpoint()).isEqualTo(taken.get(1));
    assertThat(last(run, "uploaded").message())
        .as("what the upload event tells")
        .startsWith("checkpoint " + taken.get(1) + " uploaded to " + objects.location() + ": ")
        .contains("256.0 KiB of images, ")
        .contains(" sent, in ");
  }

  @Test
  void checkpointsTakenDuringAnUploadAreSkippedForTheNewestOfThem() throws Exception {
    RunDirectory run = run(10);
    objects.close();
    at(seconds(15), objects::awaitChunkWaiting);
    at(seconds(45), objects::open);
    stopAt(seconds(46), run);

    supervise(run);

    List<String> taken = checkpointer.taken();
    assertThat(taken).as("checkpoints taken at 10, 20, 30 and 40 s").hasSize(4);
    assertThat(remoteIds())
        .as("uploaded: the first, under way while the others were taken, then the newest")
        .containsExactly(taken.get(0), taken.get(3));
    assertThat(last(run, "uploaded").message())
        .as("the upload of the newest names those it skipped")
        .contains(taken.get(1) + ", " + taken.get(2));
  }

  @Test
  void aCheckpointBeingUploadedIsLeftByLocalRetentionUntilItsUploadEnds() throws Exception {
    RunDirectory run = run(1);
    objects.close();
    at(seconds(15), objects::awaitChunkWaiting);
    at(
        seconds(25),
        () -> {
          objects.open();
          awaitEvents(run, "uploaded", 2);
        });
    stopAt(seconds(31), run);

    supervise(run);

    List<String> taken = checkpointer.taken();
    assertThat(messages(run, "upload-skipped")).as("uploads cut short").isEmpty();
    assertThat(checkpointer.deleted())
        .as("deleted by local retention: the first only at 30 s, once uploaded (%s)", all(run))
        .containsExactlyInAnyOrder(taken.get(0), taken.get(1));
    assertThat(run.events().read())
        .as("the first checkpoint's events")
        .filteredOn(e -> taken.get(0).equals(e.checkpoint()))
        .extracting(Event::type)
        .containsSubsequence("checkpointed", "uploaded", "deleted");
  }

  @Test
  void remoteRetentionKeepsTheRunsNewestCheckpointsItsNamedOnesAndThoseOfOtherRuns()
      throws Exception {
    StoredCheckpoint named = checkpointer.addNamed("release-1", "web", RUN_BEGAN.plusSeconds(60));
    StoredCheckpoint otherRun =
        checkpointer.add("other", "api", RUN_BEGAN, FakeCheckpointer.Restore.SUCCEEDS);
    repository.push(named, (done, total, sent) -> {});
    repository.push(otherRun, (done, total, sent) -> {});
    RunDirectory run = run(2);
    for (int i = 1; i <= 4; i++) {
      int uploads = i;
      at(seconds(10L * i + 5), () -> awaitEvents(run, "uploaded", uploads));
    }
    stopAt(seconds(46), run);

    supervise(run);

    List<String> taken = checkpointer.taken();
    assertThat(remoteIds())
        .as("left in the repository")
        .containsExactlyInAnyOrder(named.id(), otherRun.id(), taken.get(2), taken.get(3));
    assertThat(messages(run, "remote-deleted"))
        .as("remote deletions, each saying why")
        .containsExactly(
            "checkpoint "
                + taken.get(0)
                + " deleted from "
                + objects.location()
                + ": keeping the newest 2",
            "checkpoint "
                + taken.get(1)
                + " deleted from "
                + objects.location()
                + ": keeping the newest 2");
    assertThat(messages(run, "remote-pruned"))
        .as("the chunks of the deleted checkpoints pruned")
        .isNotEmpty();
  }

  @Test
  void aRepositoryBusyWithAnotherPushIsPrunedAfterALaterUploadSayingSoOnce() throws Exception {
    Path marker = tmp.resolve("remote/locks/push-elsewhere");
    Files.createDirectories(marker.getParent());
    Files.writeString(
        marker, "{\"kind\":\"push\",\"host\":\"elsewhere\",\"pid\":1,\"since\":\"" + START + "\"}");
    RunDirectory run = run(1);
    at(seconds(15), () -> awaitEvents(run, "uploaded", 1));
    at(
        seconds(25),
        () -> {
          awaitEvents(run, "uploaded", 2);
          Files.delete(marker);
        });
    at(seconds(35), () -> awaitEvents(run, "remote-pruned", 1));
    stopAt(seconds(36), run);

    supervise(run);

    assertThat(messages(run, "prune-skipped"))
        .as("prunes skipped while the other push held the repository, said once for one reason")
        .hasSize(1)
        .allSatisfy(message -> assertThat(message).contains("a push from elsewhere"));
    assertThat(eventTypes(run)).containsSubsequence("prune-skipped", "remote-pruned");
    assertThat(remoteIds()).containsExactly(checkpointer.taken().get(2));
  }

  @Test
  void aRunWhoseStoreWasWipedComesBackFromItsNewestCheckpointInTheRepository() throws Exception {
    RunDirectory run = run(10);
    at(seconds(15), () -> awaitEvents(run, "uploaded", 1));
    at(seconds(25), () -> awaitEvents(run, "uploaded", 2));
    at(seconds(26), this::wipeTheStore);
    endTheProgramAt(seconds(26));
    stopAt(seconds(30), run);

    supervise(run);

    String newest = checkpointer.taken().get(1);
    assertThat(eventTypes(run))
        .containsSubsequence("died", "pulled", "restored", "stopped")
        .doesNotContain("no-checkpoint");
    assertThat(last(run, "pulled").message())
        .as("why the checkpoint was pulled")
        .startsWith("checkpoint " + newest + " pulled from " + objects.location())
        .contains("as there is none here");
    assertThat(last(run, "restored").checkpoint()).isEqualTo(newest);
    assertThat(last(run, "restored").message())
        .as("the restore says where its checkpoint came from")
        .contains("pulled from the remote repository " + objects.location());
    assertThat(checkpointer.restoreAttempts()).as("restores tried").containsExactly(newest);
    assertThat(store.list())
        .extracting(StoredCheckpoint::id)
        .as("the pulled checkpoint is in the store again")
        .contains(newest);
  }

  @Test
  void whenEveryCheckpointHereIsDamagedTheRepositorysCopyOfTheNewestIsRestored() throws Exception {
    RunDirectory run = run(10);
    at(seconds(15), () -> awaitEvents(run, "uploaded", 1));
    at(seconds(25), () -> awaitEvents(run, "uploaded", 2));
    at(
        seconds(26),
        () -> {
          for (String id : checkpointer.taken()) {
            damage(id);
          }
        });
    endTheProgramAt(seconds(26));
    stopAt(seconds(30), run);

    supervise(run);

    List<String> taken = checkpointer.taken();
    assertThat(checkpointer.restoreAttempts())
        .as("restores tried: both here, then the newest from the repository")
        .containsExactly(taken.get(1), taken.get(0), taken.get(1));
    assertThat(eventTypes(run))
        .containsSubsequence("died", "skipped", "skipped", "pulled", "restored");
    assertThat(last(run, "skipped").message())
        .endsWith("; no older checkpoint here, trying the remote repository");
    assertThat(last(run, "pulled").message()).contains("as none here restored");
    assertThat(store.verify(store.resolve(taken.get(1))))
        .as("the damaged copy replaced by the repository's")
        .isEmpty();
  }

  @Test
  void aFailedUploadIsAnEventAndTheNextCheckpointTriesAgain() throws Exception {
    AtomicBoolean firstAttempt = new AtomicBoolean(true);
    RemoteCheckpoints remote =
        new RemoteCheckpoints(
            objects.location(),
            () -> {
              if (firstAttempt.getAndSet(false)) {
                throw new KeyFileException("no key file at /nonexistent.key");
              }
              return repository;
            });
    RunDirectory run = run(10);
    at(seconds(15), () -> awaitEvents(run, "upload-failed", 1));
    at(seconds(25), () -> awaitEvents(run, "uploaded", 1));
    stopAt(seconds(26), run);

    supervise(run, remote);

    List<String> taken = checkpointer.taken();
    assertThat(messages(run, "upload-failed"))
        .containsExactly(
            "could not upload checkpoint "
                + taken.get(0)
                + " to "
                + objects.location()
                + ": no key file at /nonexistent.key; the program keeps running, and the next"
                + " checkpoint tries again");
    assertThat(remoteIds()).as("uploaded").containsExactly(taken.get(1));
    assertThat(run.state().orElseThrow().status()).isEqualTo(RunStatus.STOPPED);
  }

  @Test
  void noUploadStartsWhileAHoldIsTaken() throws Exception {
    RunDirectory run = run(10);
    StoredCheckpoint checkpoint =
        checkpointer.add("ignored", "web", START, FakeCheckpointer.Restore.SUCCEEDS);
    RemoteUploads uploads =
        new RemoteUploads(
            new RemoteCheckpoints(objects.location(), () -> repository),
            run,
            runs,
            SettingNames.PLAIN);
    int putsBefore = objects.puts();
    try (RemoteUploads.Hold ignored = uploads.holdOff()) {
      uploads.offer(run.spec(), checkpoint);
      Thread.sleep(300);
      assertThat(objects.puts()).as("objects put while held").isEqualTo(putsBefore);
      assertThat(uploads.inUse()).as("kept from retention").containsExactly(checkpoint.id());
    }
    uploads.close();

    assertThat(remoteIds()).containsExactly(checkpoint.id());
  }

  @Test
  void aCheckpointDeletedHereBeforeItsUploadIsSkippedWithoutAFailure() throws Exception {
    RunDirectory run = run(10);
    StoredCheckpoint checkpoint =
        checkpointer.add("ignored", "web", START, FakeCheckpointer.Restore.SUCCEEDS);
    store.delete(checkpoint);
    RemoteUploads uploads =
        new RemoteUploads(
            new RemoteCheckpoints(objects.location(), () -> repository),
            run,
            runs,
            SettingNames.PLAIN);

    uploads.offer(run.spec(), checkpoint);
    uploads.close();

    assertThat(eventTypes(run)).containsExactly("upload-skipped");
    assertThat(remoteIds()).isEmpty();
  }
}
