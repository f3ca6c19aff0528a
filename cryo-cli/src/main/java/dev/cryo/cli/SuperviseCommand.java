package dev.cryo.cli;

import dev.cryo.images.ImageStore;
import dev.cryo.supervisor.ProgramLauncher;
import dev.cryo.supervisor.Supervisor;
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
    Supervisor supervisor =
        new Supervisor(
            cryo.runs().find(name),
            store,
            cryo.service(store),
            new ProgramLauncher(Installation.runtimeJar().orElse(null)),
            SupervisionOptions.AS_OPTIONS);
    if (!supervisor.supervise()) {
      cryo.spec.commandLine().getErr().println("cryo: " + name + " already has a supervisor");
    }
    return ExitCode.OK.code();
  }
}
