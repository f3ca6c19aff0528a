package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.checkpoint.Standby;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.Manifest;
import dev.cryo.images.StagedCheckpoint;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Checkpoints without CRIU: a list of manifests, restores that succeed or fail as the test says,
 * and checkpoints that succeed unless the test made the next ones fail. Given an image store, the
 * checkpoints are real ones in it, with a few images of made-up bytes that a remote repository can
 * upload and a restore verifies; the store is then what lists them, so that a test may wipe or
 * damage it.
 */
final class FakeCheckpointer implements Checkpointer {
  /** What restoring a checkpoint comes to. */
  enum Restore {
    /** The init and the program below it run. */
    SUCCEEDS,
    /** CRIU fails. */
    FAILS,
    /** Its images do not match their manifest. */
    CORRUPT,
    /** The init comes back without the program, which ended as the checkpoint was taken. */
    INIT_ALONE
  }

  /** The size of the made-up images of a checkpoint in a store. */
  static final int IMAGE_BYTES = 256 * 1024;

  private final FakeTimeSource ticker;
  private final FakeProgramProcesses processes;
  private final ImageStore store;
  private final List<String> taken = new ArrayList<>();
  private final List<StoredCheckpoint> stored = new ArrayList<>();
  private final Map<String, Restore> restoreOutcomes = new HashMap<>();
  private final List<String> restoreAttempts = new ArrayList<>();
  private final List<Duration> checkpointTimes = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private int checkpointsToFail;
  private Runnable duringNextCheckpoint = () -> {};
  private CheckpointResult.Listeners listeners = CheckpointResult.Listeners.KEPT_OPEN;

  FakeCheckpointer(FakeTimeSource ticker, FakeProgramProcesses processes) {
    this(ticker, processes, null);
  }

  /** Checkpoints kept in {@code store}, or in memory if it is null. */
  FakeCheckpointer(FakeTimeSource ticker, FakeProgramProcesses processes, ImageStore store) {
    this.ticker = ticker;
    this.processes = processes;
    this.store = store;
  }

  /** A checkpoint of {@code run} taken at {@code createdAt}, which restores as {@code outcome}. */
  StoredCheckpoint add(String id, String run, Instant createdAt, Restore outcome) {
    StoredCheckpoint checkpoint =
        store == null ? stored(id, run, createdAt) : write(null, run, createdAt);
    stored.add(checkpoint);
    restoreOutcomes.put(checkpoint.id(), outcome);
    return checkpoint;
  }

  /** A named checkpoint of {@code run} in the store, as {@code cryo checkpoint NAME} takes. */
  StoredCheckpoint addNamed(String name, String run, Instant createdAt) {
    StoredCheckpoint checkpoint = write(name, run, createdAt);
    restoreOutcomes.put(checkpoint.id(), Restore.SUCCEEDS);
    return checkpoint;
  }

  /** The ids of the checkpoints the supervisor took, in order. */
  List<String> taken() {
    return taken;
  }

  void failNextCheckpoints(int count) {
    checkpointsToFail = count;
  }

  /** Something that happens while the next checkpoint is taken, such as the program ending. */
  void duringNextCheckpoint(Runnable happening) {
    duringNextCheckpoint = happening;
  }

  /** What the program is seen to do with its listeners at each checkpoint. */
  void programListeners(CheckpointResult.Listeners seen) {
    listeners = seen;
  }

  /** The checkpoints restores were tried from, in order. */
  List<String> restoreAttempts() {
    return restoreAttempts;
  }

  /** When each checkpoint was tried, as time since the test's start. */
  List<Duration> checkpointTimes() {
    return checkpointTimes;
  }

  List<String> deleted() {
    return deleted;
  }

  @Override
  public List<StoredCheckpoint> list() throws ImageStoreException {
    return store != null ? store.list() : List.copyOf(stored);
  }

  @Override
  public StoredCheckpoint resolve(String reference) throws ImageStoreException {
    if (store != null) {
      return store.resolve(reference);
    }
    return stored.stream()
        .filter(c -> c.id().equals(reference))
        .findFirst()
        .orElseThrow(() -> new CheckpointNotFoundException(reference));
  }

  @Override
  public CheckpointResult checkpoint(
      RunSpec spec,
      ProgramTree program,
      Optional<String> name,
      boolean holdNewConnections,
      Consumer<String> notices)
      throws IOException {
    checkpointTimes.add(ticker.elapsed());
    duringNextCheckpoint.run();
    duringNextCheckpoint = () -> {};
    if (checkpointsToFail > 0) {
      checkpointsToFail--;
      throw new IOException("the program was busy");
    }
    StoredCheckpoint checkpoint =
        add("ck-" + checkpointTimes.size(), spec.name(), ticker.now(), Restore.SUCCEEDS);
    taken.add(checkpoint.id());
    return new CheckpointResult(
        checkpoint,
        Duration.ofMillis(20),
        Duration.ofMillis(50),
        List.of(program.mainPid()),
        Optional.empty(),
        listeners);
  }

  @Override
  public RestoreResult restore(
      StoredCheckpoint checkpoint, RestoreOptions options, Consumer<String> notices)
      throws Exception {
    restoreAttempts.add(checkpoint.id());
    if (store != null) {
      store.requireIntact(checkpoint);
    }
    ProgramTree tree =
        switch (restoreOutcomes.getOrDefault(checkpoint.id(), Restore.SUCCEEDS)) {
          case SUCCEEDS -> processes.spawn();
          case INIT_ALONE -> processes.spawnInitAlone();
          case FAILS -> throw new IOException("CRIU failed");
          case CORRUPT ->
              throw new CorruptCheckpointException(
                  checkpoint.id(), List.of("pages-1.img: checksum mismatch"));
        };
    return new RestoreResult(
        tree.initPid(),
        checkpoint,
        Duration.ofMillis(10),
        Duration.ofMillis(90),
        Path.of("restore.log"),
        null);
  }

  @Override
  public Standby prepare(
      StoredCheckpoint checkpoint, RestoreOptions options, Consumer<String> notices) {
    throw new UnsupportedOperationException("standbys are tested against CRIU (StandbyIT)");
  }

  @Override
  public void delete(String id) throws ImageStoreException {
    if (store != null) {
      store.delete(store.resolve(id));
    }
    stored.removeIf(c -> c.id().equals(id));
    deleted.add(id);
  }

  @Override
  public RemoteRepository.Pulled pull(RemoteRepository remote, String id)
      throws ImageStoreException {
    return remote.pull(id, store, TransferListener.NONE);
  }

  /**
   * A real checkpoint of {@code run} in the store: a page image of {@link #IMAGE_BYTES}, half of
   * them the same in every checkpoint (as a program's unchanged memory), half its own.
   */
  private StoredCheckpoint write(String name, String run, Instant createdAt) {
    try {
      StagedCheckpoint staged = store.stage(name);
      byte[] pages = new byte[IMAGE_BYTES];
      new Random(1).nextBytes(pages);
      byte[] own = new byte[IMAGE_BYTES / 2];
      new Random(staged.id().hashCode()).nextBytes(own);
      System.arraycopy(own, 0, pages, IMAGE_BYTES / 2, own.length);
      Files.write(staged.imagesDir().resolve("pages-1.img"), pages);
      return store.publish(staged, manifest(null, run, createdAt));
    } catch (IOException | ImageStoreException e) {
      throw new IllegalStateException("cannot write a checkpoint into " + store.root(), e);
    }
  }

  private static StoredCheckpoint stored(String id, String run, Instant createdAt) {
    return new StoredCheckpoint(Path.of("/nonexistent", id), manifest(id, run, createdAt));
  }

  private static Manifest manifest(String id, String run, Instant createdAt) {
    Manifest.Source source =
        new Manifest.Source(
            1, List.of(1, 2), List.of("app"), false, false, true, List.of(), true, run);
    return new Manifest(
        Manifest.FORMAT, id, null, createdAt.toString(), null, source, 1 << 20, List.of());
  }
}
