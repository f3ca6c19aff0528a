package dev.cryo.bench.harness;

import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.HttpProbe;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One restore, timed from launching the restoring command to the restored application's first HTTP
 * 200 on {@code /count}, which must show the count it had when it was dumped; the restored process
 * is then killed, so that the next trial can restore the same image into the same PID.
 */
public final class RestoreTrials {
  private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(180);

  private final Path scratch;
  private final Processes processes;
  private final CryoCli cryo;

  public RestoreTrials(Path scratch, Processes processes, CryoCli cryo) {
    this.scratch = scratch;
    this.processes = processes;
    this.cryo = cryo;
  }

  /**
   * A {@code cryo restore}, in milliseconds from its launch: the first response, the CLI's exit,
   * and the times it printed; {@code stderr} is all it printed there (a pull's line too).
   */
  public record CryoTrial(
      double firstResponse,
      double cliExit,
      double verify,
      double criu,
      double criuOwn,
      String stderr) {}

  /**
   * Milliseconds from launching {@code criu restore} of {@code images} to the first response;
   * {@code lazy} first starts {@code criu lazy-pages} (its start is timed too).
   */
  public double raw(
      String what, Path images, int port, long pid, String expectedCount, boolean lazy)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory(scratch, "raw-restore-");
    processes.track(pid);
    long start = System.nanoTime();
    if (lazy) {
      RawCriu.startLazyPages(images, work);
    }
    Process criu = processes.start(RawCriu.restore(images, work, lazy));
    HttpProbe.Response first =
        firstCount(
            port,
            criu,
            false,
            "criu restore of " + what + " ended",
            () -> RawCriu.restoreLog(work));
    long end = System.nanoTime();
    requireCount("criu restore of " + what, first, expectedCount);
    processes.killAndForget(pid);
    criu.waitFor(30, TimeUnit.SECONDS);
    processes.forget(criu.pid());
    return (end - start) / 1e6;
  }

  /** {@code cryo restore CHECKPOINT [OPTIONS]}, which must bring back PID {@code pid}. */
  public CryoTrial cryo(
      String checkpoint, int port, long pid, String expectedCount, String... options)
      throws IOException, InterruptedException {
    Path[] files = cryo.outputFiles();
    List<String> args = new ArrayList<>(List.of("restore", checkpoint));
    args.addAll(List.of(options));
    ProcessBuilder builder = cryo.builder(files[0], files[1], args.toArray(String[]::new));
    processes.track(pid);
    long start = System.nanoTime();
    Process cli = builder.start();
    CompletableFuture<Long> exited = cli.onExit().thenApply(p -> System.nanoTime());
    HttpProbe.Response first =
        firstCount(
            port,
            cli,
            true,
            "cryo restore " + checkpoint + " failed",
            () -> Processes.read(files[1]));
    long end = System.nanoTime();
    CryoCli.Result result = CryoCli.finish(cli, files, builder.command()).assertOk();
    CryoCli.Restored restored = CryoCli.restored(result.stderr());
    if (restored.pid() != pid) {
      throw new IllegalStateException(
          "cryo restore reported PID " + restored.pid() + ", expected " + pid);
    }
    requireCount("cryo restore of " + checkpoint, first, expectedCount);
    processes.killAndForget(pid);
    long exit;
    try {
      exit = exited.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("no exit time for cryo restore", e);
    }
    return new CryoTrial(
        (end - start) / 1e6,
        (exit - start) / 1e6,
        restored.verifySeconds() * 1000,
        restored.restoreSeconds() * 1000,
        restored.criuOwnSeconds() * 1000,
        result.stderr());
  }

  private static void requireCount(String what, HttpProbe.Response first, String expected) {
    if (!first.body().equals(expected)) {
      throw new IllegalStateException(
          what + " answered /count with '" + first.body() + "', expected " + expected);
    }
  }

  /**
   * Waits for the restored application's first HTTP 200 on {@code /count}; fails as soon as the
   * restoring {@code command} has exited, unless {@code mayExitFirst} and with 0, with {@code
   * failed}, the exit status and its {@code output}.
   */
  private static HttpProbe.Response firstCount(
      int port, Process command, boolean mayExitFirst, String failed, Supplier<String> output)
      throws InterruptedException {
    return HttpProbe.firstOk(
        port,
        "/count",
        RESTORE_TIMEOUT,
        () ->
            command.isAlive() || (mayExitFirst && command.exitValue() == 0)
                ? null
                : failed + " with exit " + command.exitValue() + ":\n" + output.get());
  }
}
