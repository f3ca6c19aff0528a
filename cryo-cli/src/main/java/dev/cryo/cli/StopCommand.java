package dev.cryo.cli;

import dev.cryo.images.ImageStore;
import dev.cryo.node.ClusterClient;
import dev.cryo.node.ClusterView;
import dev.cryo.supervisor.ProgramLauncher;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.RunStatus;
import dev.cryo.supervisor.Supervisor;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cryo stop NAME}: ends a supervised program for good; its checkpoints are kept. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stop a supervised program: SIGTERM, then SIGKILL after 10 s. It is not brought back;",
      "its checkpoints stay in the store ('cryo restore CHECKPOINT --as NAME' starts it again)."
    })
final class StopCommand extends RunNameCommand {
  /** A checkpoint under way (its --timeout and the dump) plus the 10 s grace must fit. */
  private static final long WAIT_MILLIS = 180_000;

  @Mixin ClusterOption cluster;

  @Override
  public Integer call() throws Exception {
    if (cluster.enabled) {
      return stopInCluster();
    }
    RunDirectory run = cryo.runs().find(name);
    Optional<RunState> state = run.state();
    if (state.isPresent() && state.get().status().isFinal()) {
      cryo.spec
          .commandLine()
          .getErr()
          .println("cryo: " + name + " has already ended (" + state.get().status().label() + ")");
      return ExitCode.OK.code();
    }
    run.requestStop();
    if (!run.isSupervised()) {
      // No supervisor to do it: act as one, which finds the request at once.
      ImageStore store = cryo.writableStore();
      new Supervisor(
              run,
              store,
              cryo.service(store),
              new ProgramLauncher(null),
              SupervisionOptions.AS_OPTIONS)
          .supervise();
    }
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      Optional<RunState> now = run.state();
      if (now.isPresent() && now.get().status().isFinal()) {
        cryo.spec.commandLine().getErr().println("stopped " + name);
        return ExitCode.OK.code();
      }
      Thread.sleep(50);
    }
    throw new IOException(
        "the supervisor of "
            + name
            + " did not stop it within "
            + WAIT_MILLIS / 1000
            + " s; see "
            + run.supervisorLog());
  }

  /** Asks the cluster to stop the program, and waits until its owner has. */
  private int stopInCluster() throws Exception {
    ClusterClient client = cluster.connection.client();
    client.stop(name);
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      ClusterView view = client.view();
      boolean stopped =
          view.owner(name).isEmpty()
              && view.status(name)
                  .map(s -> s.status().equals(RunStatus.STOPPED.label()))
                  .orElse(true);
      if (stopped) {
        cryo.spec.commandLine().getErr().println("stopped " + name);
        return ExitCode.OK.code();
      }
      Thread.sleep(100);
    }
    throw new IOException(
        "the node running "
            + name
            + " did not stop it within "
            + WAIT_MILLIS / 1000
            + " s; 'cryo events "
            + name
            + " --cluster' says why");
  }
}
