package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.checkpoint.NetworkLocks;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.s3.S3ObjectStore;
import dev.cryo.repository.s3.S3Settings;
import dev.cryo.supervisor.Event;
import dev.cryo.supervisor.RunStatus;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.S3Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cryo run --remote}: a supervised program's checkpoints go to a remote repository too, and
 * the program comes back from there when the host has lost its own.
 */
class RemoteRunIT extends SupervisedRunTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path serverDir;
  static S3Proxy s3;

  private RemoteRepository repository;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Proxy.startIn(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
  }

  /** The CLI, and the supervisors it starts, reach the S3 server through the AWS variables. */
  @BeforeEach
  void pointCryoAtTheServer() {
    cryo = cryo.withEnvironment(s3.environment());
  }

  private String locationOf(String name) {
    return "s3://cryo-run-it/" + tmp.getFileName() + "-" + name;
  }

  /**
   * Makes the repository on the S3 server and returns the options that name it: the one place that
   * says where it is.
   */
  private List<String> newRepository(String name) throws Exception {
    String location = locationOf(name);
    Path keyFile = tmp.resolve(name + ".key");
    repository =
        RemoteRepository.init(
            S3ObjectStore.open(location, S3Settings.fromEnvironment(s3.environment())),
            keyFile,
            Optional.empty());
    return List.of("--remote", location, "--key", keyFile.toString());
  }

  /** The ids of the run's checkpoints in the repository. */
  private List<String> remoteCheckpointsOf(String name) throws Exception {
    return repository.entries().stream()
        .filter(RemoteRepository.Entry::readable)
        .filter(e -> name.equals(e.manifest().source().run()))
        .map(RemoteRepository.Entry::id)
        .toList();
  }

  private void awaitInRepository(String id) throws InterruptedException {
    Processes.awaitTrue(
        "checkpoint " + id + " in the repository (events: " + describeEvents("counter") + ")",
        TIMEOUT,
        () -> {
          try {
            return remoteCheckpointsOf("counter").contains(id);
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** The id of the run's next checkpoint to begin from now on, once it is taken. */
  private String nextCheckpoint(String name) throws Exception {
    long before = count(name, "checkpointed");
    // The first may have been under way already.
    awaitEvent(name, "checkpointed", before + 1, TIMEOUT);
    return awaitEvent(name, "checkpointed", before + 1 + 1, TIMEOUT).checkpoint();
  }

  @Test
  void aProgramWhoseHostLostItsCheckpointsComesBackFromTheRemoteRepositoryWithItsState()
      throws Exception {
    List<String> options = new ArrayList<>(List.of("--every", "3s", "--keep", "3"));
    options.addAll(newRepository("remote"));
    int port = Processes.freePort();
    run("counter", options, participantService(port));
    CounterClient service = awaitServing(port, TIMEOUT);

    assertThat(service.increment()).isEqualTo(1);
    awaitInRepository(nextCheckpoint("counter"));
    service.increment();
    service.increment();
    String withThree = nextCheckpoint("counter");
    awaitInRepository(withThree);
    assertThat(checkpointsOf("counter")).as("checkpoints here").isNotEmpty();

    long restored = count("counter", "restored");
    loseTheCheckpointsHereAndKillTheProgram("counter");

    Event back = awaitEvent("counter", "restored", restored, TIMEOUT);
    assertThat(back.message())
        .as("restored from the repository (events: %s)", describeEvents("counter"))
        .contains("pulled from the remote repository " + locationOf("remote"));
    assertThat(service.count()).as("the state of the newest checkpoint uploaded").isEqualTo(3);
    assertThat(checkpointsOf("counter"))
        .extracting(StoredCheckpoint::id)
        .as("the pulled checkpoint is here again")
        .contains(back.checkpoint());
  }

  /**
   * Deletes the run's checkpoints from the store, as a lost disk would, and kills the program,
   * between two checkpoints: the supervisor is held still meanwhile, at a moment when it takes
   * none.
   */
  private void loseTheCheckpointsHereAndKillTheProgram(String name) throws Exception {
    long supervisor = state(name).supervisorPid();
    long program = state(name).mainPid();
    for (int attempt = 0; ; attempt++) {
      signal("STOP", supervisor);
      if (state(name).status() == RunStatus.RUNNING) {
        break;
      }
      signal("CONT", supervisor);
      assertThat(attempt).as("tries to find the supervisor between checkpoints").isLessThan(50);
      Thread.sleep(100);
    }
    try {
      ImageStore store = ImageStore.open(cryo.store());
      for (StoredCheckpoint checkpoint : checkpointsOf(name)) {
        NetworkLocks.tableOf(checkpoint.imagesDir()).ifPresent(NetworkLocks::release);
        store.delete(checkpoint);
      }
      assertThat(checkpointsOf(name)).as("checkpoints left here").isEmpty();
      Processes.killAndWait(program);
    } finally {
      signal("CONT", supervisor);
    }
  }

  @Test
  void runFailsAtOnceWithAKeyOfAnotherRepository() throws Exception {
    List<String> options = new ArrayList<>(newRepository("remote"));
    newRepository("other");
    options.set(3, tmp.resolve("other.key").toString());

    assertOneLineError(cryo.run(runArguments(options)), 15, "other.key", locationOf("remote"));
    assertThat(runs().list()).as("runs created").isEmpty();
  }

  @Test
  void runFailsAtOnceWithoutARepository() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    List<String> options = new ArrayList<>(newRepository("remote"));
    options.set(1, empty.toString());

    assertOneLineError(cryo.run(runArguments(options)), 14, empty.toString());
    assertThat(runs().list()).as("runs created").isEmpty();
  }

  @Test
  void runFailsAtOnceWithoutItsKeyFile() throws Exception {
    List<String> options = new ArrayList<>(newRepository("remote"));
    options.set(3, tmp.resolve("missing.key").toString());

    assertOneLineError(cryo.run(runArguments(options)), 15, "missing.key");
    assertThat(runs().list()).as("runs created").isEmpty();
  }

  private static String[] runArguments(List<String> options) {
    List<String> arguments = new ArrayList<>(List.of("run", "--name", "never"));
    arguments.addAll(options);
    arguments.addAll(List.of("--", "sleep", "600"));
    return arguments.toArray(String[]::new);
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }
}
