package dev.cryo.cli;

import dev.cryo.checkpoint.CheckpointService;
import dev.cryo.checkpoint.CriuSource;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.linux.HostFacts;
import dev.cryo.supervisor.Runs;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code cryo} command: options shared by every subcommand. */
@Command(
    name = "cryo",
    mixinStandardHelpOptions = true,
    versionProvider = CryoVersion.class,
    description = "Checkpoint and restore Linux processes through CRIU.",
    footer = {
      "",
      "Exit codes:",
      "  0 ok        2 usage           3 not found       4 corrupt checkpoint",
      "  5 no CRIU   6 CRIU failed     7 store error     8 PID, name or CA in use",
      "  9 doctor found problems      10 refused by the process",
      " 11 the supervised program could not be started",
      " 12 remote unavailable        13 remote refused the credentials",
      " 14 no such bucket or repository  15 wrong or missing repository key",
      " 16 etcd unavailable          17 certificate refused (cluster)",
      "  1 internal error  (details: docs/cli.md)"
    })
public final class CryoCommand implements Runnable {
  /**
   * The subcommands, by name, in the order the help lists them. {@link Main} registers only the one
   * a command line names, when it names one: building picocli's model of every command is a good
   * part of a short command's start-up.
   */
  static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("checkpoint", CheckpointCommand::new);
    all.put("restore", RestoreCommand::new);
    all.put("standby", StandbyCommand::new);
    all.put("list", ListCommand::new);
    all.put("inspect", InspectCommand::new);
    all.put("verify", VerifyCommand::new);
    all.put("delete", DeleteCommand::new);
    all.put("repo", RepoCommand::new);
    all.put("push", PushCommand::new);
    all.put("pull", PullCommand::new);
    all.put("prune", PruneCommand::new);
    all.put("doctor", DoctorCommand::new);
    all.put("run", RunCommand::new);
    all.put("ps", PsCommand::new);
    all.put("stop", StopCommand::new);
    all.put("logs", LogsCommand::new);
    all.put("events", EventsCommand::new);
    all.put("supervise", SuperviseCommand::new);
    all.put("cluster", ClusterCommand::new);
    all.put("node", NodeCommand::new);
    return Collections.unmodifiableMap(all);
  }

  @Option(
      names = "--store",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Image store directory (default: /var/lib/cryo for root, else $XDG_DATA_HOME/cryo).")
  Path store;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "On errors, also print CRIU's log lines and the stack trace.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  Path storeRoot() {
    return store != null
        ? store
        : ImageStore.defaultRoot(
            System.getenv(), HostFacts.isRoot(), Path.of(System.getProperty("user.home")));
  }

  /** The store, created if needed, for commands that write. */
  ImageStore writableStore() throws ImageStoreException {
    return ImageStore.open(storeRoot());
  }

  /** The store as it is, for commands that only read. */
  ImageStore readableStore() throws ImageStoreException {
    return ImageStore.openForReading(storeRoot());
  }

  /** Where CRIU is looked up: this process's PATH, unless set otherwise for a training run. */
  private String searchPath = System.getenv("PATH");

  String searchPath() {
    return searchPath;
  }

  CryoCommand searchingCriuIn(String path) {
    this.searchPath = path;
    return this;
  }

  CheckpointService service(ImageStore imageStore) {
    return new CheckpointService(imageStore, CriuSource.onPath(searchPath()));
  }

  /** Checks that CRIU is there and recent enough, before starting anything that needs it. */
  void criu() throws CriuUnavailableException {
    CriuSource.onPath(searchPath()).get();
  }

  /** The supervised programs of this store. */
  Runs runs() {
    return new Runs(storeRoot());
  }

  /**
   * Rejects an option's value as a usage error of {@code subcommand} when {@code invalidReason}
   * gives a reason, such as a name that cannot be used.
   */
  void requireValid(String subcommand, String option, Optional<String> invalidReason) {
    invalidReason.ifPresent(
        reason -> {
          throw new ParameterException(
              spec.commandLine().getSubcommands().get(subcommand), option + ": " + reason);
        });
  }
}
