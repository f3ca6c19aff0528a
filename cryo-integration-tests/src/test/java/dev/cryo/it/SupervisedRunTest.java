package dev.cryo.it;

import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.supervisor.Event;
import dev.cryo.supervisor.ProgramTree;
import dev.cryo.supervisor.RunCheckpoints;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.Runs;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.RuntimeApps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the tests of {@code cryo run}: starts supervised programs through the real CLI, reads
 * their state and events from the run directories, and when the test ends kills every supervisor
 * and program it started (they are detached, so nothing else would).
 */
abstract class SupervisedRunTest extends RealProcessTest {

  /** {@code cryo run --name NAME OPTIONS... -- COMMAND...}, which must succeed. */
  CryoCli.Result run(String name, List<String> options, List<String> command) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--name", name));
    args.addAll(options);
    args.add("--");
    args.addAll(command);
    return cryo.run(args.toArray(String[]::new)).assertOk();
  }

  /**
   * The participant example service's command line on {@code port}, with JVM {@code properties}.
   */
  static List<String> participantService(int port, String... properties) {
    List<String> command = new ArrayList<>(List.of(Processes.javaBinary(), "-Xmx64m"));
    command.addAll(List.of(properties));
    RuntimeApps.participantService()
        .forEach(argument -> command.add(argument.replace("PORT", Integer.toString(port))));
    return command;
  }

  Runs runs() {
    return new Runs(cryo.store());
  }

  RunDirectory runDirectory(String name) throws Exception {
    return runs().find(name);
  }

  RunState state(String name) throws Exception {
    return runDirectory(name)
        .state()
        .orElseThrow(() -> new AssertionError(name + " has no state yet"));
  }

  List<Event> events(String name) throws Exception {
    return runDirectory(name).events().read();
  }

  long count(String name, String type) throws Exception {
    return events(name).stream().filter(e -> e.type().equals(type)).count();
  }

  /**
   * Waits until {@code name} has recorded more than {@code before} events of {@code type}; returns
   * the newest.
   */
  Event awaitEvent(String name, String type, long before, Duration timeout) throws Exception {
    Processes.awaitTrue(
        name + " to record event '" + type + "' (events so far: " + describeEvents(name) + ")",
        timeout,
        () -> {
          try {
            return count(name, type) > before;
          } catch (Exception e) {
            return false;
          }
        });
    List<Event> all = events(name);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).type().equals(type)) {
        return all.get(i);
      }
    }
    throw new AssertionError("unreachable");
  }

  String describeEvents(String name) {
    try {
      return String.join(
          "\n  ", events(name).stream().map(e -> e.type() + ": " + e.message()).toList());
    } catch (Exception e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** A client of a supervised service on {@code port}, once it answers. */
  static CounterClient awaitServing(int port, Duration timeout) throws Exception {
    CounterClient service = CounterClient.at(port);
    Processes.awaitTrue(
        "the service on port " + port + " to answer",
        timeout,
        () -> {
          try {
            service.count();
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return service;
  }

  /** The run's checkpoints, newest first, as the store lists them. */
  List<StoredCheckpoint> checkpointsOf(String name) throws Exception {
    return RunCheckpoints.in(ImageStore.openForReading(cryo.store()), runDirectory(name).spec());
  }

  /** The supervisor processes of this test's store. */
  List<ProcessHandle> supervisors() {
    String store = cryo.store().toString();
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              List<String> args = List.of(p.info().arguments().orElse(new String[0]));
              return args.contains("supervise") && args.contains(store);
            })
        .toList();
  }

  @AfterEach
  void killRunsAndSupervisors() throws Exception {
    supervisors().forEach(ProcessHandle::destroyForcibly);
    for (RunDirectory run : runs().list()) {
      Optional<RunState> state = run.state();
      if (state.isPresent() && state.get().initPid() > 0 && ProgramTree.of(state.get()).isAlive()) {
        ProcessHandle.of(state.get().initPid())
            .ifPresent(
                init -> {
                  init.descendants().forEach(ProcessHandle::destroyForcibly);
                  init.destroyForcibly();
                });
      }
      killStandbyOf(run);
    }
    killLeftOverInits();
  }

  /**
   * Every namespace init of this test's runs names its run's exit-status file, under the test's
   * store: a standby whose supervisor was killed before it recorded it is one of them too.
   */
  private void killLeftOverInits() {
    String runs = cryo.store().resolve("runs").toString();
    ProcessHandle.allProcesses()
        .filter(
            p -> p.info().arguments().map(a -> String.join(" ", a).contains(runs)).orElse(false))
        .forEach(
            init -> {
              init.descendants().forEach(ProcessHandle::destroyForcibly);
              init.destroyForcibly();
            });
  }

  /**
   * A supervisor killed with SIGKILL leaves its standby stopped for the next supervisor of the run
   * to end; none will come after a test.
   */
  private static void killStandbyOf(RunDirectory run) throws IOException {
    Path record = run.path().resolve("standby");
    if (Files.exists(record)) {
      String pid = Files.readString(record, StandardCharsets.US_ASCII).trim().split(" ")[0];
      ProcessHandle.of(Long.parseLong(pid))
          .ifPresent(
              standby -> {
                standby.descendants().forEach(ProcessHandle::destroyForcibly);
                standby.destroyForcibly();
              });
    }
  }
}
