package dev.cryo.bench.load;

import dev.cryo.bench.harness.BenchContext;
import dev.cryo.bench.restore.Application;
import dev.cryo.testkit.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clients of a load benchmark: cryo-test-programs' {@code HttpLoad} (sequential
 * fresh-connection and keep-alive clients against one loopback port, for a bounded time), run in a
 * JVM of its own, as a program's clients are, so that every trial's clients start alike and nothing
 * of theirs runs in the harness. Its summary line is what the benchmark reads.
 *
 * @param freshClients how many clients open a new connection for every request
 * @param freshPath what they request
 * @param keepAliveClients how many clients keep one connection
 * @param keepAlivePath what they request
 */
public record LoadClients(
    BenchContext context,
    int freshClients,
    String freshPath,
    int keepAliveClients,
    String keepAlivePath) {
  /** HttpLoad's request timeout is 30 s: its clients end within that of the load's end. */
  private static final Duration AFTER_THE_LOAD = Duration.ofSeconds(60);

  private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
  private static final Pattern SUMMARY =
      Pattern.compile(
          "answered (\\d+) \\("
              + NUMBER
              + "/s\\), failed (\\d+), "
              + "resent (\\d+); p50 "
              + NUMBER
              + " ms, p99 "
              + NUMBER
              + " ms, longest "
              + NUMBER
              + " ms");

  /**
   * What one load's clients saw, as HttpLoad prints it.
   *
   * @param answered requests answered with a complete 200
   * @param throughput answered requests per second
   * @param failed requests that were not
   * @param resends keep-alive requests sent again on a new connection after the server closed
   *     theirs
   * @param p50Millis median time of an answered request, from its first attempt to its response
   * @param p99Millis its 99th percentile
   * @param longestMillis the longest any single request waited
   * @param failures HttpLoad's line for each failed request (the first 20)
   */
  public record Outcome(
      int answered,
      double throughput,
      int failed,
      long resends,
      double p50Millis,
      double p99Millis,
      double longestMillis,
      List<String> failures) {}

  /**
   * Loads the server on {@code port} for {@code length} (whole seconds) and returns what the
   * clients saw.
   */
  Outcome run(int port, Duration length) throws IOException, InterruptedException {
    Path log = Files.createTempFile(context.scratch(), "load-", ".log");
    Process clients =
        context.start(
            log,
            Application.testProgram(
                context.home(),
                List.of(),
                "load.HttpLoad",
                Integer.toString(port),
                Integer.toString(freshClients),
                Integer.toString(keepAliveClients),
                Long.toString(length.toSeconds()),
                freshPath,
                keepAlivePath));
    if (!clients.waitFor(length.plus(AFTER_THE_LOAD).toMillis(), TimeUnit.MILLISECONDS)) {
      context.processes().killAndForget(clients.pid());
      throw new IllegalStateException(
          "the load on port "
              + port
              + " did not end within "
              + AFTER_THE_LOAD.toSeconds()
              + " s of its length; log:\n"
              + Processes.tail(log));
    }
    context.processes().forget(clients.pid());
    // HttpLoad exits 1 when a request failed: that is a figure, not an error of the harness.
    if (clients.exitValue() > 1) {
      throw new IllegalStateException(
          "the load on port "
              + port
              + " exited with "
              + clients.exitValue()
              + "; log:\n"
              + Processes.tail(log));
    }
    return parse(Files.readString(log, StandardCharsets.UTF_8));
  }

  /** HttpLoad's output: its summary line, then one line per failed request. */
  static Outcome parse(String output) {
    Matcher m = SUMMARY.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no summary line in HttpLoad's output:\n" + output);
    }
    List<String> failures = output.substring(m.end()).lines().filter(l -> !l.isBlank()).toList();
    return new Outcome(
        Integer.parseInt(m.group(1)),
        Double.parseDouble(m.group(2)),
        Integer.parseInt(m.group(3)),
        Long.parseLong(m.group(4)),
        Double.parseDouble(m.group(5)),
        Double.parseDouble(m.group(6)),
        Double.parseDouble(m.group(7)),
        failures);
  }
}
