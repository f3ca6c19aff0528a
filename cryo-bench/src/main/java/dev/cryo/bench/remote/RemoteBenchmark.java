package dev.cryo.bench.remote;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.bench.harness.RawCriu;
import dev.cryo.bench.harness.RestoreTrials;
import dev.cryo.bench.report.Trees;
import dev.cryo.bench.restore.Application;
import dev.cryo.bench.restore.FirstResponseBenchmark;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.S3Proxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Checkpoints in a remote repository, against what the same work costs without Cryo: pushes and
 * pulls against plain AWS SDK transfers of the same files to the same S3 server (s3proxy on
 * loopback); what successive checkpoints of a running program upload; a restore from the repository
 * against one from the local store; and the processor time a push spends per gigabyte against
 * standard tools reading the same bytes.
 */
public final class RemoteBenchmark implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

  /**
   * How much is measured.
   *
   * @param transferSizes the live heaps of the checkpoints pushed and pulled, in MiB
   * @param churnLiveMegabytes the live heap of the HeapServer checkpointed successively
   * @param checkpoints how many successive checkpoints of each program
   * @param churnPercent the share of HeapServer's arrays rewritten between two checkpoints
   * @param interval the time between a push and the next checkpoint of Spring Boot
   * @param requestsPerSecond Spring Boot's light load while it is checkpointed
   */
  public record Sizes(
      List<Integer> transferSizes,
      int churnLiveMegabytes,
      int checkpoints,
      int churnPercent,
      Duration interval,
      int requestsPerSecond) {}

  public static Sizes sizes(boolean quick) {
    return quick
        ? new Sizes(List.of(64), 128, 3, 5, Duration.ofSeconds(2), 4)
        : new Sizes(List.of(256), 512, 5, 5, Duration.ofSeconds(3), 4);
  }

  /**
   * Pushes and pulls of one checkpoint, per trial: cryo's, in the time each command printed and in
   * wall-clock time from its launch to its exit (a fresh JVM), and the plain SDK's, alike; then the
   * processor time of pushes into a directory repository in memory, and of standard tools reading
   * the same files.
   */
  public record Transfers(
      String label,
      long imageBytes,
      int files,
      List<TransferLines.Transfer> pushes,
      List<Double> pushWallSeconds,
      List<Double> sdkPutSeconds,
      List<Double> sdkPutWallSeconds,
      List<TransferLines.Transfer> pulls,
      List<Double> pullWallSeconds,
      List<Double> sdkGetSeconds,
      List<Double> sdkGetWallSeconds,
      Cpu cpu) {}

  /**
   * Processor seconds, per trial: {@code cryo push} into an empty directory repository on {@code
   * /dev/shm}; {@code cryo list} of that repository (the command's fixed cost: its JVM, the key,
   * opening the repository); and the baselines on the same files.
   */
  public record Cpu(
      List<Double> push,
      List<Double> pushWall,
      List<Double> fixed,
      List<Double> sha256sum,
      List<Double> zstd,
      List<Double> copy) {}

  /** Successive checkpoints of one running program, each pushed into the same repository. */
  public record Series(String label, String how, List<TransferLines.Transfer> pushes) {}

  /**
   * {@code cryo restore} of one checkpoint, from the local store and from the repository with no
   * local copy, alternating; the figures of each trial as {@link RestoreTrials} measures them.
   */
  public record Restores(
      String label,
      long imageBytes,
      List<RestoreTrials.CryoTrial> local,
      List<RestoreTrials.CryoTrial> remote,
      List<TransferLines.Transfer> pulls) {}

  private final BenchContext context;
  private final S3Proxy s3;
  private final CryoCli cryo;
  private final Path keys;
  private int repositories;

  private RemoteBenchmark(BenchContext context, S3Proxy s3, CryoCli cryo, Path keys) {
    this.context = context;
    this.s3 = s3;
    this.cryo = cryo;
    this.keys = keys;
  }

  /** Starts the S3 server in the run's scratch directory. */
  public static RemoteBenchmark start(BenchContext context)
      throws IOException, InterruptedException {
    S3Proxy s3 = S3Proxy.startIn(context.scratch().resolve("s3proxy"));
    Path keys = Files.createDirectories(context.scratch().resolve("keys"));
    return new RemoteBenchmark(context, s3, context.cryo().withEnvironment(s3.environment()), keys);
  }

  @Override
  public void close() {
    s3.close();
  }

  /** A new, empty repository in a bucket of its own; its key is {@link #key}. */
  private String newRepository() throws IOException, InterruptedException {
    String remote = "s3://" + bucket(++repositories) + "/cryo";
    cryo.runWithoutStore("repo", "init", remote, "--key", key(remote).toString()).assertOk();
    return remote;
  }

  private static String bucket(int n) {
    return "bench-" + n;
  }

  private Path key(String remote) {
    return keys.resolve(remote.replaceAll("[^A-Za-z0-9]+", "-") + ".key");
  }

  /** Deletes the objects of a repository made by {@link #newRepository}. */
  private void deleteRepository(String remote) throws IOException {
    String bucket = remote.substring("s3://".length(), remote.indexOf('/', "s3://".length()));
    Trees.delete(s3.dataDirectory().resolve(bucket));
  }

  // ---------------------------------------------------------------- pushes and pulls

  public Transfers transfers(int liveMegabytes) throws IOException, InterruptedException {
    String id = "remote-" + liveMegabytes;
    System.out.println("bench: " + id + ": HeapServer with " + liveMegabytes + " MiB live");
    HeapServer server = HeapServer.start(context, id, liveMegabytes, true);
    CryoCli.Result checkpoint =
        context
            .cryo()
            .run("checkpoint", Long.toString(server.process.pid()), "--name", id)
            .assertOk();
    server.awaitExit();
    Path images = context.cryo().imagesDir(checkpoint.stdout().trim());
    long imageBytes = RawCriu.imageBytes(images);
    int files = fileCount(images);
    List<TransferLines.Transfer> pushes = new ArrayList<>();
    List<Double> pushWall = new ArrayList<>();
    List<Double> sdkPut = new ArrayList<>();
    List<Double> sdkPutWall = new ArrayList<>();
    List<TransferLines.Transfer> pulls = new ArrayList<>();
    List<Double> pullWall = new ArrayList<>();
    List<Double> sdkGet = new ArrayList<>();
    List<Double> sdkGetWall = new ArrayList<>();
    CryoCli pullStore =
        new CryoCli(context.home(), context.scratch().resolve("pulled"), context.scratch())
            .withPathIncluding("/usr/local/sbin")
            .withEnvironment(s3.environment());
    for (int t = 1; t <= context.trials(); t++) {
      String remote = newRepository();
      long start = System.nanoTime();
      CryoCli.Result push =
          cryo.run("push", id, remote, "--key", key(remote).toString()).assertOk();
      pushWall.add(seconds(start));
      pushes.add(TransferLines.pushed(push.stderr()));

      String bucket = "plain-" + liveMegabytes + "-" + t;
      start = System.nanoTime();
      sdkPut.add(plainS3("put", bucket, images));
      sdkPutWall.add(seconds(start));

      start = System.nanoTime();
      CryoCli.Result pull =
          pullStore.run("pull", id, remote, "--key", key(remote).toString()).assertOk();
      pullWall.add(seconds(start));
      pulls.add(TransferLines.pulled(pull.stderr()));
      pullStore.run("delete", pull.stdout().trim()).assertOk();

      Path got = context.scratch().resolve("plain-get");
      start = System.nanoTime();
      sdkGet.add(plainS3("get", bucket, got));
      sdkGetWall.add(seconds(start));
      if (RawCriu.imageBytes(got) != imageBytes) {
        throw new IllegalStateException(
            "the plain SDK got " + RawCriu.imageBytes(got) + " bytes of " + imageBytes);
      }
      Trees.delete(got);
      deleteRepository(remote);
      Trees.delete(s3.dataDirectory().resolve(bucket));
      System.out.printf(
          Locale.ROOT,
          "bench: %s trial %d/%d: push %.1f s (SDK %.1f s), pull %.1f s (SDK %.1f s)%n",
          id,
          t,
          context.trials(),
          pushes.get(t - 1).seconds(),
          sdkPut.get(t - 1),
          pulls.get(t - 1).seconds(),
          sdkGet.get(t - 1));
    }
    Cpu cpu = cpu(id, images);
    context.cryo().run("delete", id).assertOk();
    return new Transfers(
        "HeapServer, " + liveMegabytes + " MiB live",
        imageBytes,
        files,
        pushes,
        pushWall,
        sdkPut,
        sdkPutWall,
        pulls,
        pullWall,
        sdkGet,
        sdkGetWall,
        cpu);
  }

  /**
   * {@code PlainS3 put|get BUCKET DIR} in a JVM of its own, as a user's program would run; returns
   * the seconds it printed (its transfers alone).
   */
  private double plainS3(String operation, String bucket, Path dir)
      throws IOException, InterruptedException {
    Path log = context.scratch().resolve("plain-s3.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Jdks.current().toString(),
                "-Xmx256m",
                "-cp",
                // This JVM's own: the benchmarks' jar under scripts/bench, the module's classes and
                // their dependencies under the build's smoke test.
                System.getProperty("java.class.path"),
                PlainS3.class.getName(),
                operation,
                bucket,
                dir.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(s3.environment());
    Process p = builder.start();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("PlainS3 " + operation + " did not end in 600 s");
    }
    String output = Files.readString(log).trim();
    if (p.exitValue() != 0) {
      throw new IllegalStateException("PlainS3 " + operation + " failed:\n" + output);
    }
    String[] lines = output.split("\n");
    return Long.parseLong(lines[lines.length - 1].trim()) / 1e9;
  }

  /** Processor time of pushes into a directory repository in memory, and of the baselines. */
  private Cpu cpu(String id, Path images) throws IOException, InterruptedException {
    Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "cryo-bench-");
    Cpu cpu =
        new Cpu(
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>());
    boolean zstd = Files.isExecutable(Path.of("/usr/bin/zstd"));
    List<String> files;
    try (Stream<Path> all = Files.walk(images)) {
      files = all.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
    }
    try {
      for (int t = 1; t <= context.trials(); t++) {
        String repository = shm.resolve("repo-" + t).toString();
        String key = shm.resolve("repo-" + t + ".key").toString();
        context.cryo().runWithoutStore("repo", "init", repository, "--key", key).assertOk();
        Path[] out = context.cryo().outputFiles();
        CpuTime.Used push =
            CpuTime.of(
                context.cryo().builder(out[0], out[1], "push", id, repository, "--key", key),
                context.scratch());
        requireOk(push, "cryo push " + id + " " + repository, out[1]);
        cpu.push().add(push.cpuSeconds());
        cpu.pushWall().add(push.wallSeconds());
        out = context.cryo().outputFiles();
        CpuTime.Used list =
            CpuTime.of(
                context.cryo().builder(out[0], out[1], "list", repository, "--key", key),
                context.scratch());
        requireOk(list, "cryo list " + repository, out[1]);
        cpu.fixed().add(list.cpuSeconds());
        Trees.delete(Path.of(repository));
        cpu.sha256sum().add(tool(concat(List.of("sha256sum"), files)));
        if (zstd) {
          cpu.zstd().add(tool(concat(List.of("zstd", "-3", "-q", "-c"), files)));
        }
        Path copy = shm.resolve("copy-" + t);
        cpu.copy().add(tool(List.of("cp", "-r", images.toString(), copy.toString())));
        Trees.delete(copy);
        System.out.printf(
            Locale.ROOT,
            "bench: %s CPU trial %d/%d: cryo push %.2f s (list %.2f s), sha256sum %.2f s%n",
            id,
            t,
            context.trials(),
            push.cpuSeconds(),
            list.cpuSeconds(),
            cpu.sha256sum().get(t - 1));
      }
    } finally {
      Trees.delete(shm);
    }
    return cpu;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Processor seconds of a standard tool, its output discarded. */
  private double tool(List<String> command) throws IOException, InterruptedException {
    Path err = context.scratch().resolve("tool.err");
    CpuTime.Used used =
        CpuTime.of(
            new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()),
            context.scratch());
    requireOk(used, String.join(" ", command.subList(0, 1)), err);
    return used.cpuSeconds();
  }

  private static void requireOk(CpuTime.Used used, String what, Path stderr) {
    if (used.exitCode() != 0) {
      throw new IllegalStateException(
          what + " failed with exit " + used.exitCode() + ":\n" + Processes.read(stderr));
    }
  }

  private static int fileCount(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return (int) all.filter(Files::isRegularFile).count();
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  // ---------------------------------------------------------------- successive checkpoints

  /**
   * Spring Boot under the cryo agent and a light load, checkpointed with {@code --leave-running}
   * {@code interval} after each push, each checkpoint pushed into one repository.
   */
  public Series springCheckpoints(Sizes sizes) throws IOException, InterruptedException {
    Application app = Application.SPRING;
    System.out.println("bench: spring: successive checkpoints under light load");
    int port = Processes.freePort();
    Path log = context.scratch().resolve("remote-spring.log");
    Process process =
        context.start(
            log,
            app.command(
                Jdks.current(), context.home(), port, List.of(Application.agent(context.home()))));
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try {
      BenchContext.firstCount(process, app.id, port, START_TIMEOUT, log);
      AtomicLong answered = new AtomicLong();
      load.scheduleAtFixedRate(
          () -> {
            try {
              if (HttpProbe.get(port, "/increment").ok()) {
                answered.incrementAndGet();
              }
            } catch (IOException e) {
              // Refused while the program's web server is stopped for a checkpoint.
            }
          },
          0,
          1000 / sizes.requestsPerSecond(),
          TimeUnit.MILLISECONDS);
      List<TransferLines.Transfer> pushes =
          successive(
              process.pid(), sizes, "spring", () -> Thread.sleep(sizes.interval().toMillis()));
      System.out.println("bench: spring answered " + answered.get() + " requests meanwhile");
      return new Series(
          app.label(context.home()),
          String.format(
              Locale.ROOT,
              "under the cryo agent, %d requests per second to `/increment`; a checkpoint %d s after each push",
              sizes.requestsPerSecond(),
              sizes.interval().toSeconds()),
          pushes);
    } finally {
      load.shutdownNow();
      load.awaitTermination(10, TimeUnit.SECONDS);
      context.processes().killAndForget(process.pid());
    }
  }

  /**
   * HeapServer, with or without the cryo agent, checkpointed with {@code --leave-running}; before
   * every checkpoint after the first, {@code churnPercent} of its arrays get new content.
   */
  public Series heapCheckpoints(Sizes sizes, boolean agent)
      throws IOException, InterruptedException {
    String id = "churn-" + (agent ? "agent" : "plain");
    System.out.println("bench: " + id + ": successive checkpoints of a churning heap");
    HeapServer server = HeapServer.start(context, id, sizes.churnLiveMegabytes(), agent);
    try {
      List<TransferLines.Transfer> pushes =
          successive(
              server.process.pid(),
              sizes,
              id,
              () -> server.request("/churn?percent=" + sizes.churnPercent()));
      return new Series(
          "HeapServer, " + sizes.churnLiveMegabytes() + " MiB live",
          agent
              ? "under the cryo agent (a full collection before each checkpoint)"
              : "without the agent (a plain CRIU dump, no collection)",
          pushes);
    } finally {
      context.processes().killAndForget(server.process.pid());
    }
  }

  /** What happens to a program between two of its checkpoints. */
  @FunctionalInterface
  private interface Change {
    void apply() throws IOException, InterruptedException;
  }

  /**
   * {@code sizes.checkpoints()} checkpoints of {@code pid}, each pushed into one new repository and
   * then deleted locally, with {@code change} before every checkpoint after the first.
   */
  private List<TransferLines.Transfer> successive(long pid, Sizes sizes, String id, Change change)
      throws IOException, InterruptedException {
    String remote = newRepository();
    List<TransferLines.Transfer> pushes = new ArrayList<>();
    try {
      for (int i = 1; i <= sizes.checkpoints(); i++) {
        if (i > 1) {
          change.apply();
        }
        String checkpoint =
            context
                .cryo()
                .run("checkpoint", Long.toString(pid), "--leave-running")
                .assertOk()
                .stdout()
                .trim();
        TransferLines.Transfer push =
            TransferLines.pushed(
                cryo.run("push", checkpoint, remote, "--key", key(remote).toString())
                    .assertOk()
                    .stderr());
        pushes.add(push);
        context.cryo().run("delete", checkpoint).assertOk();
        System.out.printf(
            Locale.ROOT,
            "bench: %s checkpoint %d/%d: %.1f MiB, uploaded %.1f MiB (%.1f%%), %d of %d chunks new%n",
            id,
            i,
            sizes.checkpoints(),
            push.checkpointBytes() / 1048576.0,
            push.transferredBytes() / 1048576.0,
            100 * push.transferredShare(),
            push.newChunks(),
            push.chunks());
      }
    } finally {
      deleteRepository(remote);
    }
    return pushes;
  }

  // ---------------------------------------------------------------- restore from the repository

  /**
   * Spring Boot, warmed and checkpointed (the program then ends), pushed; then restored from the
   * local store and from the repository after deleting the local copy, alternating.
   */
  public Restores restores() throws IOException, InterruptedException {
    Application app = Application.SPRING;
    String name = "remote-" + app.id;
    System.out.println("bench: " + name + ": restores from the local store and the repository");
    int port = Processes.freePort();
    Path log = context.scratch().resolve(name + ".log");
    Process process =
        context.start(
            log,
            app.command(
                Jdks.current(), context.home(), port, List.of(Application.agent(context.home()))));
    long pid = process.pid();
    BenchContext.firstCount(process, name, port, START_TIMEOUT, log);
    String count = "";
    for (int i = 0; i < FirstResponseBenchmark.WARM_UP_REQUESTS; i++) {
      count = HttpProbe.get(port, "/increment").body();
    }
    CryoCli.Result checkpoint =
        context.cryo().run("checkpoint", Long.toString(pid), "--name", name).assertOk();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cryo checkpoint did not end " + name);
    }
    Processes.awaitGone(pid, Duration.ofSeconds(30));
    context.processes().forget(pid);
    long imageBytes = RawCriu.imageBytes(context.cryo().imagesDir(checkpoint.stdout().trim()));
    String remote = newRepository();
    String key = key(remote).toString();
    cryo.run("push", name, remote, "--key", key).assertOk();
    RestoreTrials trials = new RestoreTrials(context.scratch(), context.processes(), cryo);
    List<RestoreTrials.CryoTrial> local = new ArrayList<>();
    List<RestoreTrials.CryoTrial> fromRemote = new ArrayList<>();
    List<TransferLines.Transfer> pulls = new ArrayList<>();
    try {
      for (int t = 1; t <= context.trials(); t++) {
        local.add(trials.cryo(name, port, pid, count));
        context.cryo().run("delete", name).assertOk();
        RestoreTrials.CryoTrial remoteTrial =
            trials.cryo(remote + "/" + name, port, pid, count, "--key", key);
        fromRemote.add(remoteTrial);
        pulls.add(TransferLines.pulled(remoteTrial.stderr()));
        System.out.printf(
            Locale.ROOT,
            "bench: %s trial %d/%d: cryo restore %.0f ms; from the repository %.0f ms (pull %.2f s)%n",
            name,
            t,
            context.trials(),
            local.get(t - 1).firstResponse(),
            remoteTrial.firstResponse(),
            pulls.get(t - 1).seconds());
      }
    } finally {
      deleteRepository(remote);
    }
    context.cryo().run("delete", name).assertOk();
    return new Restores(app.label(context.home()), imageBytes, local, fromRemote, pulls);
  }

  /** A HeapServer started by the harness, with its port. */
  private record HeapServer(BenchContext context, Process process, int port) {
    static HeapServer start(BenchContext context, String id, int liveMegabytes, boolean agent)
        throws IOException, InterruptedException {
      int port = Processes.freePort();
      Path log = context.scratch().resolve(id + ".log");
      List<String> options = new ArrayList<>(List.of("-XX:+PerfDisableSharedMem"));
      if (agent) {
        options.add(Application.agent(context.home()));
      }
      options.add("-Xmx" + Math.max(256, liveMegabytes * 2 + 256) + "m");
      Process process =
          context.start(
              log,
              Application.testProgram(
                  context.home(),
                  options,
                  "HeapServer",
                  Integer.toString(port),
                  Integer.toString(liveMegabytes)));
      BenchContext.firstCount(process, id, port, START_TIMEOUT, log);
      return new HeapServer(context, process, port);
    }

    /** Sends {@code path}; fails unless it answers 200. */
    void request(String path) throws IOException {
      HttpProbe.Response r = HttpProbe.get(port, path);
      if (!r.ok()) {
        throw new IllegalStateException(path + " answered HTTP " + r.status());
      }
    }

    void awaitExit() throws InterruptedException {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("cryo checkpoint did not end PID " + process.pid());
      }
      Processes.awaitGone(process.pid(), Duration.ofSeconds(30));
      context.processes().forget(process.pid());
    }
  }
}
