package dev.cryo.supervisor;

import dev.cryo.images.ImageStore;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The supervised programs of an image store, one directory each under {@code STORE/runs}. A name is
 * taken while its run has not ended; a run that ended (stopped, exited, failed) gives its name up
 * to the next {@code cryo run} of that name, whose checkpoints are then its own.
 */
public final class Runs {
  private final Path root;

  public Runs(Path storeRoot) {
    this.root = storeRoot.resolve("runs");
  }

  /** Why {@code name} cannot name a run, if it cannot: the same rules as checkpoint names. */
  public static Optional<String> invalidNameReason(String name) {
    if (name.matches("\\d+")) {
      // 'cryo checkpoint 8080' must not be read two ways.
      return Optional.of(
          "invalid name '" + name + "': a name of digits alone would be taken for a PID");
    }
    return ImageStore.invalidNameReason(name)
        .map(reason -> reason.replace("checkpoint name", "name"));
  }

  /** Creates the run's directory and records its spec, taking the name. */
  public RunDirectory create(RunSpec spec) throws IOException, RunNameTakenException {
    PrivateFiles.privateDirectory(root);
    Path dir = root.resolve(spec.name());
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PrivateFiles.DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      RunDirectory existing = new RunDirectory(dir);
      Optional<RunState> state = existing.state();
      boolean ended =
          state.isPresent() && state.get().status().isFinal() && !existing.isSupervised();
      if (!ended) {
        throw new RunNameTakenException(
            spec.name(), state.map(s -> s.status().label()).orElse("starting"));
      }
      // The directory stays: copies restored from this run's checkpoints still write to its log
      // files and need its control directory. The new run appends to the same logs and events.
      existing.clearStopRequest();
      return initialize(existing, spec);
    }
    Files.setPosixFilePermissions(dir, PrivateFiles.DIRECTORY);
    return initialize(new RunDirectory(dir), spec);
  }

  private static RunDirectory initialize(RunDirectory run, RunSpec spec) throws IOException {
    run.writeSpec(spec);
    // Written before any supervisor starts, so that a run whose supervisor never got going is
    // still found (and adopted) by 'cryo ps'.
    run.writeState(initialState());
    return run;
  }

  /** The state of a run whose program has not been started yet. */
  static RunState initialState() {
    return new RunState(RunStatus.STARTING, 0, 0, 0, 0, 0, 0, Instant.now().toString(), null);
  }

  public RunDirectory find(String name) throws RunNotFoundException {
    if (invalidNameReason(name).isPresent()
        || !Files.isRegularFile(root.resolve(name).resolve("run.json"))) {
      throw new RunNotFoundException(name);
    }
    return new RunDirectory(root.resolve(name));
  }

  /** Every run, by name. */
  public List<RunDirectory> list() throws IOException {
    List<RunDirectory> runs = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return runs;
    }
    try (Stream<Path> entries = Files.list(root)) {
      entries
          .filter(p -> Files.isRegularFile(p.resolve("run.json")))
          .sorted()
          .forEach(p -> runs.add(new RunDirectory(p)));
    }
    return runs;
  }

  /**
   * The checkpoints that copies which have not ended were made from: they are how such a copy comes
   * back while it has no checkpoint of its own, so retention keeps them.
   */
  public Set<String> originsInUse() throws IOException {
    Set<String> origins = new HashSet<>();
    for (RunDirectory run : list()) {
      Optional<RunState> state = run.state();
      String origin = run.spec().origin();
      if (origin != null && (state.isEmpty() || !state.get().status().isFinal())) {
        origins.add(origin);
      }
    }
    return origins;
  }

  /** Runs that have not ended but that no supervisor watches: their supervisor died. */
  public List<RunDirectory> orphans() throws IOException {
    List<RunDirectory> orphans = new ArrayList<>();
    for (RunDirectory run : list()) {
      Optional<RunState> state = run.state();
      if (state.isPresent() && !state.get().status().isFinal() && !run.isSupervised()) {
        orphans.add(run);
      }
    }
    return orphans;
  }
}
