package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checkpoints without CRIU: a list of manifests, restores that succeed or fail as the test says,
 * and checkpoints that succeed unless the test made the next ones fail.
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

  private final FakeTimeSource ticker;
  private final FakeProgramProcesses processes;
  private final List<StoredCheckpoint> stored = new ArrayList<>();
  private final Map<String, Restore> restoreOutcomes = new HashMap<>();
  private final List<String> restoreAttempts = new ArrayList<>();
  private final List<Duration> checkpointTimes = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private int checkpointsToFail;
  private Runnable duringNextCheckpoint = () -> {};
  private CheckpointResult.Listeners listeners = CheckpointResult.Listeners.KEPT_OPEN;

  FakeCheckpointer(FakeTimeSource ticker, FakeProgramProcesses processes) {
    this.ticker = ticker;
    this.processes = processes;
  }

  /** A checkpoint of {@code run} taken at {@code createdAt}, which restores as {@code outcome}. */
  StoredCheckpoint add(String id, String run, Instant createdAt, Restore outcome) {
    StoredCheckpoint checkpoint = stored(id, run, createdAt);
    stored.add(checkpoint);
    restoreOutcomes.put(id, outcome);
    return checkpoint;
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
  public List<StoredCheckpoint> list() {
    return List.copyOf(stored);
  }

  @Override
  public StoredCheckpoint resolve(String reference) throws CheckpointNotFoundException {
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
    ProgramTree tree =
        switch (restoreOutcomes.get(checkpoint.id())) {
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
        Path.of("restore.log"));
  }

  @Override
  public void delete(String id) {
    stored.removeIf(c -> c.id().equals(id));
    deleted.add(id);
  }

  private static StoredCheckpoint stored(String id, String run, Instant createdAt) {
    Manifest.Source source =
        new Manifest.Source(
            1, List.of(1, 2), List.of("app"), false, false, true, List.of(), true, run);
    return new StoredCheckpoint(
        Path.of("/nonexistent", id),
        new Manifest(
            Manifest.FORMAT, id, null, createdAt.toString(), null, source, 1 << 20, List.of()));
  }
}
