package dev.cryo.cli;

import dev.cryo.images.ImageStoreException;
import dev.cryo.linux.Executables;
import dev.cryo.protocol.Durations;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.RunStatus;
import dev.cryo.supervisor.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cryo run}: starts a program under supervision. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a program under supervision: in its own PID and time namespaces, checkpointed",
      "periodically while it keeps running, and restored from its newest good checkpoint when it",
      "crashes. A JVM gets the Cryo runtime without changing its command line. Prints the run's name."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The name to manage it by (default: the command's file name, made unique).")
  String name;

  @Mixin SupervisionOptions supervision;

  @Option(
      names = "--remote",
      paramLabel = "REMOTE",
      description = {
        "Also keep its checkpoints in this remote repository (s3://BUCKET/PREFIX or a directory):"
            + " each is uploaded after the program resumes, the newest --keep are kept there too,"
            + " and the program comes back from there when this host has no usable checkpoint of"
            + " it. The supervisor opens the repository itself: its key file must stay readable,"
            + " and a key sealed with a passphrase needs "
            + Remotes.PASSPHRASE_VARIABLE
            + " set."
      })
  String remote;

  @Mixin RemoteOptions remoteOptions;

  @Mixin ClusterOption cluster;

  @Option(
      names = "--address",
      paramLabel = "IP",
      description = {
        "With --cluster: the program's service address. It runs in a network namespace of its own",
        "holding this address, which moves with it to whichever host runs it (docs/cluster.md)."
      })
  String address;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The program and its arguments (after --).")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    if (name != null) {
      cryo.requireValid("run", "--name", Runs.invalidNameReason(name));
    }
    Path executable =
        resolve(command.get(0)).orElseThrow(() -> new CommandNotFoundException(command.get(0)));
    if (cluster.enabled) {
      return submitToCluster(executable);
    }
    if (address != null) {
      throw new ParameterException(spec.commandLine(), "--address goes with --cluster");
    }
    String runName = name != null ? name : defaultName(executable);
    RunSpec runSpec =
        supervision
            .toSpec(runName, command, System.getProperty("user.dir"), null, null, Map.of())
            .withRemote(remoteRepository());
    cryo.writableStore();
    cryo.criu();
    RunDirectory run = cryo.runs().create(runSpec);
    RunState state = SupervisorLaunch.startAndAwait(cryo.storeRoot(), run);
    return report(cryo, run, state, "started " + String.join(" ", command));
  }

  /** {@code --cluster}: the program goes to the cluster, which places it on a node. */
  private int submitToCluster(Path executable) throws Exception {
    if (remote != null || remoteOptions.keyFile != null || remoteOptions.endpoint != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--remote, --key and --endpoint are the nodes' settings (cryo node); drop them with --cluster");
    }
    if (supervision.standby) {
      throw new ParameterException(
          spec.commandLine(),
          "--standby keeps a standby on this host only; a cluster program fails over to another"
              + " host instead: drop --standby with --cluster");
    }
    if (address != null) {
      cryo.requireValid("run", "--address", ClusterSubmission.invalidAddressReason(address));
    }
    String runName =
        name != null
            ? name
            : executable.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-");
    cryo.requireValid("run", "--name", Runs.invalidNameReason(runName));
    RunSpec local =
        supervision.toSpec(runName, command, System.getProperty("user.dir"), null, null, Map.of());
    return ClusterSubmission.submit(cryo, cluster.connection.client(), local, address);
  }

  /**
   * The remote repository of {@code --remote}, as the supervisor will open it; opened here first,
   * so that a missing or wrong key, or a location that holds no repository, fails the command
   * before the program starts.
   */
  private RunSpec.Remote remoteRepository() throws ImageStoreException {
    if (remote == null) {
      if (remoteOptions.keyFile != null || remoteOptions.endpoint != null) {
        throw new ParameterException(
            spec.commandLine(), "--key and --endpoint go with --remote REMOTE");
      }
      return null;
    }
    return Remotes.forSupervisor(remote, remoteOptions);
  }

  /** Prints what became of a new run: its name on stdout, a summary on stderr. */
  static int report(CryoCommand cryo, RunDirectory run, RunState state, String what)
      throws Exception {
    if (state.status() == RunStatus.FAILED) {
      throw new RunNotStartedException(run.name(), state.detail());
    }
    RunSpec spec = run.spec();
    cryo.spec.commandLine().getOut().println(run.name());
    cryo.spec
        .commandLine()
        .getErr()
        .printf(
            "%s as %s: PID %d, in its own PID and time namespaces; checkpoints every %s"
                + " (keeping %d%s), restart %s; 'cryo logs %s' shows its output, 'cryo events %s' what happens%n",
            what,
            run.name(),
            state.mainPid(),
            Durations.format(spec.every()),
            spec.keep(),
            spec.remote() == null ? "" : ", uploaded to " + spec.remote().location(),
            spec.restart().label(),
            run.name(),
            run.name());
    if (state.status() != RunStatus.RUNNING) {
      cryo.spec
          .commandLine()
          .getErr()
          .println(
              "note: "
                  + run.name()
                  + " is already "
                  + state.status().label()
                  + " (see 'cryo events "
                  + run.name()
                  + "')");
    }
    return ExitCode.OK.code();
  }

  private String defaultName(Path executable) throws Exception {
    String base = executable.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-");
    if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) || base.matches("\\d+")) {
      base = "run-" + base;
    }
    base = base.length() > 50 ? base.substring(0, 50) : base;
    List<String> taken = cryo.runs().list().stream().map(RunDirectory::name).toList();
    String candidate = base;
    for (int i = 2; taken.contains(candidate); i++) {
      candidate = base + "-" + i;
    }
    return candidate;
  }

  /** The executable {@code program} names, as the shell would find it. */
  static Optional<Path> resolve(String program) {
    if (program.contains("/")) {
      Path path = Path.of(program).toAbsolutePath();
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.of(path)
          : Optional.empty();
    }
    return Executables.find(program, System.getenv("PATH"));
  }

  /** The command to run does not exist or cannot be executed. */
  static final class CommandNotFoundException extends Exception {
    CommandNotFoundException(String program) {
      super(
          "command not found: "
              + program
              + " (not an executable file"
              + (program.contains("/") ? "" : " on PATH")
              + "); check its name or give its full path");
    }
  }

  /** The supervisor could not get the program running. */
  static final class RunNotStartedException extends Exception {
    RunNotStartedException(String name, String detail) {
      super(
          "could not start "
              + name
              + (detail == null ? "" : ": " + detail)
              + "; 'cryo events "
              + name
              + "' and 'cryo logs "
              + name
              + "' say why");
    }
  }
}
