package dev.cryo.cli;

import dev.cryo.checkpoint.HumanUnits;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.supervisor.CheckpointSchedule;
import dev.cryo.supervisor.ProgramTree;
import dev.cryo.supervisor.RunCheckpoints;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.RunStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cryo ps}: the supervised programs; also gives a new supervisor to any whose supervisor
 * died.
 */
@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    description = {
      "List the programs started with 'cryo run' and 'cryo restore --as'.",
      "A running program whose supervisor is gone (killed, or its user logged out) gets a new one."
    })
final class PsCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Mixin ClusterOption cluster;

  @Override
  public Integer call() throws Exception {
    if (cluster.enabled) {
      ClusterTables.programs(cluster.connection.client().view(), cryo.spec.commandLine().getOut());
      return ExitCode.OK.code();
    }
    PrintWriter err = cryo.spec.commandLine().getErr();
    List<String> adopted = new ArrayList<>();
    for (RunDirectory orphan : cryo.runs().orphans()) {
      SupervisorLaunch.start(cryo.storeRoot(), orphan);
      adopted.add(orphan.name());
      err.println("cryo: " + orphan.name() + " had lost its supervisor; a new one took it over");
    }
    ImageStore store = cryo.readableStore();
    PrintWriter out = cryo.spec.commandLine().getOut();
    String format = "%-20s  %8s  %-13s  %8s  %-22s  %8s  %10s%s%n";
    out.printf(format, "NAME", "PID", "STATUS", "RESTARTS", "LAST CHECKPOINT", "AGE", "SIZE", "");
    Instant now = Instant.now();
    List<StoredCheckpoint> all = store.list();
    for (RunDirectory run : cryo.runs().list()) {
      Optional<RunState> state = run.state();
      RunSpec spec = run.spec();
      List<StoredCheckpoint> mine = RunCheckpoints.among(all, spec);
      boolean live = state.isPresent() && !state.get().status().isFinal();
      // What the dead supervisor last wrote may be stale (say, 'checkpointing'): look at the
      // program.
      String status =
          adopted.contains(run.name()) && state.get().initPid() != 0
              ? (ProgramTree.of(state.get()).isAlive() ? RunStatus.RUNNING.label() : "ended")
              : state.map(s -> s.status().label()).orElse(RunStatus.STARTING.label());
      String pid = live ? Integer.toString(state.get().mainPid()) : "-";
      out.printf(
          format,
          run.name(),
          pid,
          status,
          state.map(s -> Integer.toString(s.restarts())).orElse("0"),
          mine.isEmpty() ? "-" : mine.get(0).label(),
          mine.isEmpty()
              ? "-"
              : age(Duration.between(Instant.parse(mine.get(0).manifest().createdAt()), now)),
          mine.isEmpty() ? "-" : HumanUnits.bytes(mine.get(0).manifest().imageBytes()),
          (live && overdue(spec, state.get(), mine, now)
                  ? "  overdue: no checkpoint for "
                      + age(Duration.between(protectedSince(state.get(), mine), now))
                      + " (every "
                      + age(spec.every())
                      + "); see 'cryo events "
                      + run.name()
                      + "'"
                  : "")
              + (live && spec.standby() ? standbyNote(run, state.get()) : ""));
    }
    return ExitCode.OK.code();
  }

  /**
   * Whether a run kept with {@code --standby} has its standby ready, since a crash without one is
   * answered by a slower restore.
   */
  private static String standbyNote(RunDirectory run, RunState state) {
    if (state.status() != RunStatus.RUNNING && state.status() != RunStatus.CHECKPOINTING) {
      return "";
    }
    OptionalInt standby = run.standbyPid();
    return standby.isPresent()
        ? "  standby ready (PID " + standby.getAsInt() + ")"
        : "  no standby ready now; see 'cryo events " + run.name() + "'";
  }

  /** Whether a running program has gone longer without a checkpoint than its schedule allows. */
  private static boolean overdue(
      RunSpec spec, RunState state, List<StoredCheckpoint> mine, Instant now) {
    return (state.status() == RunStatus.RUNNING || state.status() == RunStatus.CHECKPOINTING)
        && CheckpointSchedule.isOverdue(spec.every(), protectedSince(state, mine), now);
  }

  /** When the program's newest checkpoint was taken, or when it (re)started if that is later. */
  private static Instant protectedSince(RunState state, List<StoredCheckpoint> mine) {
    Instant since = Instant.parse(state.since());
    if (mine.isEmpty()) {
      return since;
    }
    Instant newest = Instant.parse(mine.get(0).manifest().createdAt());
    return newest.isAfter(since) ? newest : since;
  }

  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    return s < 172_800 ? s / 3600 + "h" : s / 86_400 + "d";
  }
}
