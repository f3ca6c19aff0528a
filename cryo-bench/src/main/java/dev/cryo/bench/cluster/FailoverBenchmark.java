package dev.cryo.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.bench.harness.BenchContext;
import dev.cryo.testkit.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a program's clients wait for when the host that runs it is lost, on the test bed's cluster
 * ({@code scripts/testbed}): from the power loss of the owner's host to the first answer at the
 * program's service address from the client's namespace, split by the nodes' own events into the
 * lease's expiry (detection), fetching the checkpoint, the restore and the first response; against
 * the baseline, a cold start of the same program on another host.
 */
public final class FailoverBenchmark implements AutoCloseable {
  /** Where the submitting, listing and stopping commands run. */
  private static final String SUBMITTER = "cryo-c";

  private static final int SERVICE_PORT = 8080;
  private static final int COLD_PORT = 18080;
  private static final Duration EVERY = Duration.ofSeconds(5);

  /**
   * Nodes pull the newest published checkpoint ahead of time at most every max(10 s, every): this
   * long after a publication, every other node has it.
   */
  public static final Duration PREFETCH_WAIT = Duration.ofSeconds(12);

  private static final Duration LIMIT = Duration.ofSeconds(300);
  private static final Pattern OWNER = Pattern.compile("(?m)^(\\S+)\\s+(cryo-[abc]|-)\\s+(\\S+)");
  private static final Pattern CHECKPOINT = Pattern.compile("checkpoint (\\S+?):");
  private static final Pattern IMAGES = Pattern.compile(": (\\S+ \\S+) of images");
  private static final Pattern TOTAL = Pattern.compile("(\\d+(?:\\.\\d+)?) s in all");
  private static final Pattern LEASE_TTL = Pattern.compile("--lease-ttl (\\d+)s");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One failover.
   *
   * @param from the lost host
   * @param to the host that restored it
   * @param image the checkpoint's size, as its event says it
   * @param prefetched whether the new owner had the checkpoint already
   * @param detection from the power loss to the leader's placement
   * @param fetch from the placement to the start of the restore: the new owner's reaction, its
   *     service address claimed and, at the same time, its checkpoint fetched
   * @param fetchDone from the placement to the checkpoint in the new owner's store
   * @param restore from the start to the supervisor's "restored"
   * @param firstResponse from "restored" to the client's first answer
   * @param total from the power loss to the client's first answer
   */
  public record Failover(
      String from,
      String to,
      String image,
      boolean prefetched,
      double detection,
      double fetch,
      double fetchDone,
      double restore,
      double firstResponse,
      double total) {}

  /** A program's failovers and cold starts, in milliseconds. */
  public record Result(
      ClusterProgram program, String label, List<Failover> failovers, List<Double> coldStarts) {}

  private final BenchContext context;
  private final boolean quick;
  private final Testbed testbed;
  private final Map<String, String> env;

  private FailoverBenchmark(
      BenchContext context, boolean quick, Testbed testbed, Map<String, String> env) {
    this.context = context;
    this.quick = quick;
    this.testbed = testbed;
    this.env = env;
  }

  /**
   * Brings the test bed up afresh, keeping its state in {@code state}; waits while another process
   * (tests, CI) has it.
   */
  public static FailoverBenchmark start(BenchContext context, boolean quick, Path state)
      throws IOException, InterruptedException {
    Testbed testbed = new Testbed(state);
    try {
      System.out.println("bench: cluster: bringing the test bed up (waits for its turn)");
      testbed.up(Testbed.UpOption.FRESH);
      return new FailoverBenchmark(context, quick, testbed, testbed.env());
    } catch (IOException | InterruptedException | RuntimeException e) {
      testbed.down();
      throw e;
    }
  }

  /** The test bed nodes' {@code --lease-ttl}, as {@code scripts/testbed} gives it. */
  public static Duration leaseTtl(Path home) throws IOException {
    Matcher m = LEASE_TTL.matcher(Files.readString(home.resolve("scripts/testbed")));
    if (!m.find()) {
      throw new IllegalStateException("no --lease-ttl Ns in " + home.resolve("scripts/testbed"));
    }
    return Duration.ofSeconds(Long.parseLong(m.group(1)));
  }

  /** The checkpoint interval of the programs submitted. */
  public static Duration every() {
    return EVERY;
  }

  /** {@code trials} failovers of {@code program}, each followed by a cold start. */
  public Result measure(ClusterProgram program, int trials)
      throws IOException, InterruptedException {
    List<Failover> failovers = new ArrayList<>();
    List<Double> coldStarts = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      String name = program.id + "-" + (i + 1);
      String address = "198.18.1." + (20 + 10 * program.ordinal() + i);
      Failover failover = failover(program, name, address);
      failovers.add(failover);
      System.out.printf(
          "bench: cluster: %s: %s -> %s in %.0f ms (detection %.0f, fetch %.0f, restore %.0f,"
              + " first response %.0f)%n",
          name,
          failover.from(),
          failover.to(),
          failover.total(),
          failover.detection(),
          failover.fetch(),
          failover.restore(),
          failover.firstResponse());
      String host = Testbed.HOSTS.get((Testbed.HOSTS.indexOf(failover.to()) + 1) % 3);
      double cold = coldStart(program, name, host);
      coldStarts.add(cold);
      System.out.printf("bench: cluster: %s: cold start on %s in %.0f ms%n", name, host, cold);
    }
    return new Result(program, program.label(context.home()), failovers, coldStarts);
  }

  private Failover failover(ClusterProgram program, String name, String address)
      throws IOException, InterruptedException {
    List<String> submit =
        new ArrayList<>(
            List.of(
                "run",
                "--cluster",
                "--name",
                name,
                "--address",
                address,
                "--every",
                EVERY.toSeconds() + "s",
                "--"));
    submit.addAll(program.command(context.home(), address, SERVICE_PORT, quick));
    System.out.println("bench: cluster: submitting " + name + " at " + address);
    succeed(cryo(SUBMITTER, submit.toArray(String[]::new)));
    Instant answered = firstAnswer(address, SERVICE_PORT);
    String owner = ownerOf(name);
    NodeLogLine checkpointed = awaitCheckpointTakenAfter(name, answered);
    Thread.sleep(PREFETCH_WAIT.toMillis());

    System.out.println("bench: cluster: " + name + ": killing its owner " + owner);
    Instant lost = Instant.now();
    testbed.kill(owner);
    Instant first;
    try {
      first = firstAnswer(address, SERVICE_PORT);
    } finally {
      testbed.start(owner);
    }
    NodeLogLine placed = await(name, e -> e.type().equals("placed") && after(e, lost));
    NodeLogLine starting =
        await(name, e -> e.type().equals("starting") && !e.time().isBefore(placed.time()));
    NodeLogLine fetched =
        await(
            name,
            e ->
                (e.type().equals("pulled") || e.type().equals("prefetched"))
                    && !e.time().isBefore(placed.time()));
    Instant restored = restoredAt(name, starting.host(), lost);
    stop(name);
    Matcher image = IMAGES.matcher(checkpointed.message());
    return new Failover(
        owner,
        starting.host(),
        image.find() ? image.group(1) : "?",
        fetched.type().equals("prefetched"),
        millis(lost, placed.time()),
        millis(placed.time(), starting.time()),
        millis(placed.time(), fetched.time()),
        millis(starting.time(), restored),
        millis(restored, first),
        millis(lost, first));
  }

  /**
   * A cold start of {@code program} on {@code host}, at that host's own address: from the launch of
   * its command to its first answer to the client.
   */
  private double coldStart(ClusterProgram program, String name, String host)
      throws IOException, InterruptedException {
    Path pidFile = context.scratch().resolve(name + "-cold.pid");
    Path launchFile = context.scratch().resolve(name + "-cold.launch");
    String address = Testbed.address(host);
    List<String> command =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "echo $$ > \"$1\"; date +%s%N > \"$2\"; shift 2; exec \"$@\" > /dev/null 2>&1",
                "cold-start",
                pidFile.toString(),
                launchFile.toString()));
    command.addAll(program.command(context.home(), address, COLD_PORT, quick));
    CompletableFuture<Testbed.Result> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return testbed.exec(host, command.toArray(String[]::new));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    try {
      Instant first = firstAnswer(address, COLD_PORT);
      return millis(nanos(Files.readString(launchFile).trim()), first);
    } finally {
      if (Files.exists(pidFile)) {
        testbed.exec(host, "kill", Files.readString(pidFile).trim());
      }
      try {
        run.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("bench: cluster: the cold start on " + host + " did not end: " + e);
      }
    }
  }

  /**
   * Polls {@code address:port/count} from the client's namespace every 50 ms until it answers; the
   * time of that answer.
   */
  private Instant firstAnswer(String address, int port) throws IOException, InterruptedException {
    String url = "http://" + address + ":" + port + "/count";
    Testbed.Result r =
        testbed.exec(
            Testbed.CLIENT,
            "timeout",
            Long.toString(LIMIT.toSeconds()),
            "sh",
            "-c",
            "until curl -s -f -o /dev/null --connect-timeout 1 -m 2 \"$1\"; do sleep 0.05; done;"
                + " date +%s%N",
            "poll",
            url);
    if (!r.succeeded()) {
      throw new IllegalStateException(
          url + " did not answer within " + LIMIT.toSeconds() + " s: " + r.describe());
    }
    return nanos(r.stdout().trim());
  }

  /** Waits for a checkpoint of {@code program} begun after {@code after} to be published. */
  private NodeLogLine awaitCheckpointTakenAfter(String program, Instant after)
      throws IOException, InterruptedException {
    NodeLogLine taken =
        await(
            program,
            e -> e.type().equals("checkpointed") && begun(e).isAfter(after),
            "a checkpoint taken after it answered");
    Matcher id = CHECKPOINT.matcher(taken.message());
    if (!id.find()) {
      throw new IllegalStateException("no checkpoint named in: " + taken.message());
    }
    await(
        program,
        e -> e.type().equals("published") && e.message().contains(id.group(1)),
        "checkpoint " + id.group(1) + " published");
    System.out.println("bench: cluster: " + program + ": published " + taken.message());
    return taken;
  }

  /** When the checkpoint of a "checkpointed" event began: its time less its duration. */
  private static Instant begun(NodeLogLine checkpointed) {
    Matcher total = TOTAL.matcher(checkpointed.message());
    // Without its duration, a checkpoint is taken to have begun a minute earlier: a later one is
    // waited for.
    double seconds = total.find() ? Double.parseDouble(total.group(1)) : 60;
    return checkpointed.time().minusNanos((long) (seconds * 1e9));
  }

  /**
   * When the supervisor on {@code host} restored {@code program}, by the run's own event log; by
   * the node's log if that cannot be read (the node forwards events within about a second).
   */
  private Instant restoredAt(String program, String host, Instant after)
      throws IOException, InterruptedException {
    Path events =
        testbed
            .hostDirectory(host)
            .resolve("var-lib-cryo/runs")
            .resolve(program)
            .resolve("events.jsonl");
    if (Files.isReadable(events)) {
      for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
        JsonNode event = JSON.readTree(line);
        if ("restored".equals(event.path("type").asText())) {
          Instant time = Instant.parse(event.path("time").asText());
          if (time.isAfter(after)) {
            return time;
          }
        }
      }
    }
    return await(program, e -> e.type().equals("restored") && after(e, after)).time();
  }

  private void stop(String program) throws IOException, InterruptedException {
    Testbed.Result stopped = cryo(SUBMITTER, "stop", program, "--cluster");
    if (!stopped.succeeded()) {
      System.out.println("bench: cluster: could not stop " + program + ": " + stopped.describe());
    }
  }

  private String ownerOf(String program) throws IOException, InterruptedException {
    Testbed.Result ps = succeed(cryo(SUBMITTER, "ps", "--cluster"));
    Matcher m = OWNER.matcher(ps.stdout());
    while (m.find()) {
      if (m.group(1).equals(program) && !m.group(2).equals("-")) {
        return m.group(2);
      }
    }
    throw new IllegalStateException("no owner of " + program + " in " + ps.describe());
  }

  private NodeLogLine await(String program, Predicate<NodeLogLine> which)
      throws IOException, InterruptedException {
    return await(program, which, "an event of " + program);
  }

  /** Waits for the earliest event of {@code program} in any node's log that matches. */
  private NodeLogLine await(String program, Predicate<NodeLogLine> which, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<NodeLogLine> found =
          events(program).stream().filter(which).min(Comparator.comparing(NodeLogLine::time));
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "timed out waiting for " + what + "; node logs in " + testbed.stateDirectory());
  }

  /** Every event of {@code program} in the nodes' logs. */
  private List<NodeLogLine> events(String program) throws IOException {
    List<NodeLogLine> events = new ArrayList<>();
    for (String host : Testbed.HOSTS) {
      Path log = testbed.hostDirectory(host).resolve("node.log");
      if (!Files.exists(log)) {
        continue;
      }
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        NodeLogLine.parse(host, line)
            .filter(e -> e.program().equals(program))
            .ifPresent(events::add);
      }
    }
    return events;
  }

  private Testbed.Result cryo(String host, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(context.home().resolve("bin/cryo").toString()));
    command.addAll(List.of(arguments));
    return testbed.exec(host, env, command.toArray(String[]::new));
  }

  private static Testbed.Result succeed(Testbed.Result r) {
    if (!r.succeeded()) {
      throw new IllegalStateException(r.describe());
    }
    return r;
  }

  private static boolean after(NodeLogLine e, Instant t) {
    return e.time().isAfter(t);
  }

  private static Instant nanos(String epochNanos) {
    long n = Long.parseLong(epochNanos);
    return Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L);
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    testbed.down();
  }
}
