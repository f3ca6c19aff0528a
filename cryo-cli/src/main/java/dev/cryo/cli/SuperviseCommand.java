package dev.cryo.cli;

import dev.cryo.images.ImageStore;
import dev.cryo.supervisor.ProgramLauncher;
import dev.cryo.supervisor.RemoteCheckpoints;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.Supervisor;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code cryo supervise NAME}: the supervisor process of a run, which {@code cryo run} and {@code
 * cryo ps} start in the background. Not for people to type; hidden from help.
 */
@Command(
    name = "supervise",
    hidden = true,
    description = "Supervise a run (started by cryo run and cryo ps).")
final class SuperviseCommand extends RunNameCommand {
  @Override
  public Integer call() throws Exception {
    ImageStore store = cryo.writableStore();
    RunDirectory run = cryo.runs().find(name);
    Supervisor supervisor =
        new Supervisor(
            run,
            store,
            cryo.service(store),
            new ProgramLauncher(Installation.runtimeJar().orElse(null)),
            SupervisionOptions.AS_OPTIONS,
            Optional.ofNullable(run.spec().remote()).map(SuperviseCommand::remote));
    if (!supervisor.supervise()) {
      cryo.spec.commandLine().getErr().println("cryo: " + name + " already has a supervisor");
    }
    return ExitCode.OK.code();
  }

  /**
   * The run's remote repository, opened as {@code cryo run --remote} opened it, by the supervisor
   * when it first needs it: its passphrase, if any, comes from the supervisor's environment.
   */
  private static RemoteCheckpoints remote(RunSpec.Remote remote) {
    return new RemoteCheckpoints(remote.location(), () -> Remotes.open(remote));
  }
}
