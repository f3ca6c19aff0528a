package dev.cryo.bench.load;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.bench.restore.Application;
import dev.cryo.bench.restore.SupervisedRun;
import dev.cryo.testkit.CryoCli;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a program's clients see while its supervisor checkpoints it: the same program under {@code
 * cryo run}, once checkpointed every second and once with no checkpoint during the load (the
 * baseline, so that only the checkpoints differ), each time started afresh and loaded alike; the
 * two alternate, trial by trial. The checkpoints that ran during a load, their pauses and their
 * failures are read from the run's events.
 */
public final class LoadBenchmark {
  public static final int FRESH_CLIENTS = 4;
  public static final String FRESH_PATH = "/increment";
  public static final int KEEP_ALIVE_CLIENTS = 4;
  public static final String KEEP_ALIVE_PATH = "/count";

  /** How the program is supervised during its load. */
  public enum Condition {
    BASELINE("no checkpoints", "1h"),
    EVERY_SECOND("checkpoints every 1 s", "1s");

    /** How the report names it. */
    public final String how;

    /** Its {@code cryo run --every}. */
    public final String every;

    Condition(String how, String every) {
      this.how = how;
      this.every = every;
    }
  }

  /**
   * How long the clients warm the program up, not measured, and then load it. Under checkpoints the
   * warm-up also lasts until the first checkpoint has been taken: a supervisor learns at its
   * program's first checkpoint whether it keeps its listeners, and holds the new connections of a
   * program it does not know yet as of one that closes them; the load meets the periodic
   * checkpoints after that.
   */
  public record Lengths(Duration warmUp, Duration load) {}

  /**
   * The full configuration's lengths, or the smoke configuration's: no warm-up and a short load.
   */
  public static Lengths lengths(boolean quick) {
    return quick
        ? new Lengths(Duration.ZERO, Duration.ofSeconds(3))
        : new Lengths(Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  /**
   * One load of one freshly started program.
   *
   * @param load what the clients saw
   * @param loadMillis how long the clients' process ran, the window in which checkpoints count
   * @param pausesMillis the pause of each checkpoint that ran during the load
   * @param checkpointingMillis how much of the load's time a checkpoint was under way
   * @param failedCheckpoints the message of each {@code checkpoint-failed} event from the load's
   *     start to the end of the checkpoint under way when it ended
   */
  public record Trial(
      LoadClients.Outcome load,
      double loadMillis,
      List<Double> pausesMillis,
      double checkpointingMillis,
      List<String> failedCheckpoints) {
    /** The longest pause of a checkpoint during the load; 0 without one. */
    public double longestPauseMillis() {
      return pausesMillis.isEmpty() ? 0 : Collections.max(pausesMillis);
    }

    /** The share of the load's time the program was frozen: its checkpoints' pauses added up. */
    public double frozenShare() {
      return pausesMillis.stream().mapToDouble(Double::doubleValue).sum() / loadMillis;
    }

    /** The share of the load's time a checkpoint was under way, from its start to its event. */
    public double checkpointingShare() {
      return checkpointingMillis / loadMillis;
    }
  }

  /** Every trial of one program, by condition, in the order they ran. */
  public record Result(Application app, String label, Map<Condition, List<Trial>> trials) {}

  private final BenchContext context;
  private final Lengths lengths;
  private final LoadClients clients;

  public LoadBenchmark(BenchContext context, Lengths lengths) {
    this.context = context;
    this.lengths = lengths;
    this.clients =
        new LoadClients(context, FRESH_CLIENTS, FRESH_PATH, KEEP_ALIVE_CLIENTS, KEEP_ALIVE_PATH);
  }

  public static List<Application> applications() {
    return List.of(Application.PLAIN, Application.SPRING);
  }

  public Result measure(Application app) throws IOException, InterruptedException {
    Map<Condition, List<Trial>> trials = new EnumMap<>(Condition.class);
    for (int t = 1; t <= context.trials(); t++) {
      for (Condition condition : Condition.values()) {
        long start = System.nanoTime();
        Trial trial = trial(app, condition, t);
        trials.computeIfAbsent(condition, c -> new ArrayList<>()).add(trial);
        LoadClients.Outcome o = trial.load();
        System.out.printf(
            Locale.ROOT,
            "bench: load %s trial %d/%d, %s: %.0f/s, p50 %.1f ms, p99 %.1f ms, longest %.1f "
                + "ms; %d failed, %d resent; %d checkpoints, longest pause %.0f ms, %d failed (trial: %.0f s)%n",
            app.id,
            t,
            context.trials(),
            condition.how,
            o.throughput(),
            o.p50Millis(),
            o.p99Millis(),
            o.longestMillis(),
            o.failed(),
            o.resends(),
            trial.pausesMillis().size(),
            trial.longestPauseMillis(),
            trial.failedCheckpoints().size(),
            (System.nanoTime() - start) / 1e9);
        o.failures().forEach(f -> System.out.println("bench:   failed request: " + f));
        trial
            .failedCheckpoints()
            .forEach(f -> System.out.println("bench:   failed checkpoint: " + f));
      }
    }
    return new Result(app, app.label(context.home()), trials);
  }

  private Trial trial(Application app, Condition condition, int t)
      throws IOException, InterruptedException {
    boolean underCheckpoints = condition != Condition.BASELINE;
    SupervisedRun run =
        SupervisedRun.start(
            app, "load-" + app.id + "-" + condition.every + "-" + t, condition.every, context);
    try {
      if (!lengths.warmUp().isZero()) {
        clients.run(run.port(), lengths.warmUp());
        if (underCheckpoints) {
          run.awaitCheckpoints(1);
        }
      }
      Instant from = Instant.now();
      LoadClients.Outcome load = clients.run(run.port(), lengths.load());
      Instant to = Instant.now();
      // A checkpoint under way when the load ended is recorded when it ends.
      Instant until =
          underCheckpoints
              ? run.awaitEvent(e -> e.endsCheckpoint() && e.instant().isAfter(to)).instant()
              : to;
      List<Double> pauses = new ArrayList<>();
      double checkpointing = 0;
      List<String> failed = new ArrayList<>();
      for (CryoCli.RunEvent e : run.events()) {
        Instant end = e.instant();
        Optional<CryoCli.Checkpointed> times = e.checkpointed();
        if (times.isPresent()) {
          Instant begin = end.minusNanos(Math.round(times.get().totalSeconds() * 1e9));
          if (begin.isBefore(to) && end.isAfter(from)) {
            pauses.add(times.get().dumpSeconds() * 1000);
            checkpointing +=
                Duration.between(begin.isAfter(from) ? begin : from, end.isBefore(to) ? end : to)
                        .toNanos()
                    / 1e6;
          }
        }
        if (e.type().equals("checkpoint-failed")) {
          if (end.isAfter(from) && !end.isAfter(until)) {
            failed.add(e.time() + " " + e.message());
          } else {
            System.out.println(
                "bench:   failed checkpoint outside the measured load: "
                    + e.time()
                    + " "
                    + e.message());
          }
        }
      }
      return new Trial(
          load, Duration.between(from, to).toNanos() / 1e6, pauses, checkpointing, failed);
    } finally {
      run.stop();
    }
  }
}
