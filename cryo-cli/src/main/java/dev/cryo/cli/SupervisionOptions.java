package dev.cryo.cli;

import dev.cryo.supervisor.RestartPolicy;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.SettingNames;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a program is supervised: the options {@code cryo run} and {@code cryo restore --as} share.
 */
final class SupervisionOptions {
  /** The settings as these options name them, for the events that give one as a reason. */
  static final SettingNames AS_OPTIONS =
      new SettingNames() {
        @Override
        public String restart(RestartPolicy policy) {
          return "--restart " + policy.label();
        }

        @Override
        public String maxRestarts(int max) {
          return "--max-restarts " + max;
        }

        @Override
        public String coldStart() {
          return "--cold-start";
        }

        @Override
        public String keep(int keep) {
          return "--keep " + keep;
        }
      };

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--standby",
      description = {
        "Keep a standby of the newest checkpoint: a copy restored ahead of time and left stopped,",
        "resumed in the program's place when it dies, in milliseconds rather than a restore's time.",
        "It costs the checkpoint's memory once more. For programs that listen on nothing while",
        "checkpointed, as org.crac programs that close their listeners do (docs/restore-time.md)."
      })
  boolean standby;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "Checkpoint the program this often, leaving it running (30s, 5m, 1h; default: ${DEFAULT-VALUE}).")
  String every;

  @Option(
      names = "--keep",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Keep the newest N of its checkpoints; named ones are never deleted (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(
      names = "--restart",
      paramLabel = "POLICY",
      defaultValue = "on-crash",
      description =
          "When to bring it back after it ends: on-crash (a signal or a non-zero exit code), always, never (default: ${DEFAULT-VALUE}).")
  String restart;

  @Option(
      names = "--cold-start",
      description =
          "When no checkpoint can be restored, start the command afresh (default: give up).")
  boolean coldStart;

  @Option(
      names = "--max-restarts",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Give up after N endings or failed restores in a row with no checkpoint in between (default: ${DEFAULT-VALUE}).")
  int maxRestarts;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "How long it may take to get ready for each checkpoint (default: ${DEFAULT-VALUE}).")
  String timeout;

  RunSpec toSpec(
      String name,
      List<String> command,
      String workingDirectory,
      String origin,
      String originRun,
      Map<String, String> properties) {
    Duration interval = positive("--every", every);
    Duration participantTimeout = positive("--timeout", timeout);
    if (keep <= 0) {
      throw usage("--keep must be at least 1, not " + keep);
    }
    if (maxRestarts <= 0) {
      throw usage("--max-restarts must be at least 1, not " + maxRestarts);
    }
    RestartPolicy policy;
    try {
      policy = RestartPolicy.parse(restart);
    } catch (IllegalArgumentException e) {
      throw usage("--restart: " + e.getMessage());
    }
    return RunSpec.builder(name, command)
        .workingDirectory(workingDirectory)
        .environment(programEnvironment(System.getenv()))
        .every(interval)
        .keep(keep)
        .restart(policy)
        .coldStart(coldStart)
        .maxRestarts(maxRestarts)
        .timeout(participantTimeout)
        .origin(origin, originRun, properties)
        .createdAt(Instant.now().toString())
        .standby(standby)
        .build();
  }

  /**
   * The program's environment: this command's, but for the passphrase of a repository key, which
   * the program has no use for and the run's files must not keep.
   */
  static Map<String, String> programEnvironment(Map<String, String> env) {
    Map<String, String> program = new HashMap<>(env);
    program.remove(Remotes.PASSPHRASE_VARIABLE);
    return program;
  }

  private Duration positive(String option, String text) {
    return DurationOptions.positive(
        spec.commandLine(), option, text, Duration.ofDays(365), "a year");
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
