package dev.cryo.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.checkpoint.StandbyRecords;
import dev.cryo.images.JsonMappers;
import dev.cryo.linux.PrivateFiles;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A supervised program's directory, {@code RUNS/NAME/}, private to its owner (0700, files 0600):
 *
 * <pre>
 *   run.json         what was asked ({@link RunSpec})
 *   state.json       what the supervisor last knew ({@link RunState}), replaced atomically
 *   events.jsonl     what happened, and why ({@link EventLog})
 *   stdout.log       the program's output, opened for appending so that restores accept its growth
 *   stderr.log
 *   control/         the program's control socket, its own so that copies never share one
 *   exit-status      written by the namespace's init when the program ends
 *   supervisor.lock  held by the supervisor as long as it lives
 *   checkpoint.lock  held while the program is being checkpointed
 *   supervisor.log   the supervisor's own output
 *   stop             present once {@code cryo stop} was asked
 *   standby          "PID START-MILLIS" of the standby kept for a run with {@code --standby}
 * </pre>
 */
public final class RunDirectory {
  private static final ObjectMapper JSON = JsonMappers.documents();

  private final Path dir;

  RunDirectory(Path dir) {
    this.dir = dir;
  }

  public String name() {
    return dir.getFileName().toString();
  }

  public Path path() {
    return dir;
  }

  public Path stdout() {
    return dir.resolve("stdout.log");
  }

  public Path stderr() {
    return dir.resolve("stderr.log");
  }

  public Path supervisorLog() {
    return dir.resolve("supervisor.log");
  }

  public Path controlDir() {
    return dir.resolve("control");
  }

  Path exitStatusFile() {
    return dir.resolve("exit-status");
  }

  public EventLog events() {
    return new EventLog(dir.resolve("events.jsonl"));
  }

  public RunSpec spec() throws IOException {
    return JSON.readValue(dir.resolve("run.json").toFile(), RunSpec.class);
  }

  void writeSpec(RunSpec spec) throws IOException {
    PrivateFiles.privateDirectory(controlDir());
    for (Path log : new Path[] {stdout(), stderr(), supervisorLog()}) {
      // Created private here; the program's processes only ever append to them.
      if (!Files.exists(log)) {
        Files.createFile(log, PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
      }
    }
    PrivateFiles.write(dir.resolve("run.json"), JSON.writeValueAsBytes(spec));
  }

  /** The last state written, empty before the supervisor wrote one. */
  public Optional<RunState> state() throws IOException {
    try {
      return Optional.of(JSON.readValue(dir.resolve("state.json").toFile(), RunState.class));
    } catch (NoSuchFileException | FileNotFoundException e) {
      return Optional.empty();
    }
  }

  void writeState(RunState state) throws IOException {
    Path temporary = dir.resolve("state.json.tmp");
    PrivateFiles.write(temporary, JSON.writeValueAsBytes(state));
    Files.move(
        temporary,
        dir.resolve("state.json"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Asks the supervisor to stop the program; it looks for this before deciding anything. */
  public void requestStop() throws IOException {
    PrivateFiles.write(dir.resolve("stop"), new byte[0]);
  }

  boolean stopRequested() {
    return Files.exists(dir.resolve("stop"));
  }

  void clearStopRequest() throws IOException {
    Files.deleteIfExists(dir.resolve("stop"));
  }

  /**
   * The standby the supervisor keeps for this run, if one is recorded and its PID still names the
   * process that was recorded (the same start time), so that a reused PID is never taken for it.
   */
  public OptionalInt standbyPid() {
    try {
      String[] fields =
          Files.readString(dir.resolve("standby"), StandardCharsets.US_ASCII).trim().split(" ");
      int pid = Integer.parseInt(fields[0]);
      long start = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
      return start > 0 && StandbyRecords.startOf(pid).orElse(-1L) == start
          ? OptionalInt.of(pid)
          : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      // Nothing usable is recorded.
      return OptionalInt.empty();
    }
  }

  void recordStandby(int pid) throws IOException {
    PrivateFiles.write(
        dir.resolve("standby"),
        (pid + " " + StandbyRecords.startOf(pid).orElse(0L) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
  }

  void forgetStandby() {
    try {
      Files.deleteIfExists(dir.resolve("standby"));
    } catch (IOException e) {
      // A stale record names a PID that standbyPid() checks before anyone acts on it.
    }
  }

  /** Whether a live supervisor holds this run, which only a live process can. */
  public boolean isSupervised() {
    try {
      Optional<FileLock> lock = tryLock("supervisor.lock");
      if (lock.isEmpty()) {
        return true;
      }
      lock.get().channel().close();
      return false;
    } catch (IOException | OverlappingFileLockException e) {
      return true;
    }
  }

  /**
   * Takes the supervisor's lock for as long as the returned lock (and this JVM) lives; empty if
   * another supervisor holds it.
   */
  Optional<FileLock> lockAsSupervisor() throws IOException {
    return tryLock("supervisor.lock");
  }

  /**
   * Waits for and takes the checkpoint lock: one checkpoint of the program at a time. Closing it
   * closes its file too (a file left open would, once collected, drop this process's other locks on
   * it).
   */
  public Closeable lockForCheckpoint() throws IOException {
    FileChannel channel = open("checkpoint.lock");
    try {
      channel.lock();
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Takes the checkpoint lock if nobody holds it; empty if a checkpoint is under way. */
  Optional<Closeable> tryLockForCheckpoint() throws IOException {
    return tryLock("checkpoint.lock").map(FileLock::channel);
  }

  /** The directory of another run of the same store, whether or not it exists. */
  RunDirectory sibling(String name) {
    return new RunDirectory(dir.resolveSibling(name));
  }

  /**
   * The lock on {@code file} if nobody holds it; its channel stays open until the lock is closed.
   */
  private Optional<FileLock> tryLock(String file) throws IOException {
    FileChannel channel = open(file);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
    }
    return Optional.ofNullable(lock);
  }

  private FileChannel open(String file) throws IOException {
    return FileChannel.open(
        dir.resolve(file),
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
  }
}
