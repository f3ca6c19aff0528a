package dev.cryo.bench.remote;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processor time a command used, user and system, with all its threads and children: Java
 * cannot read it for a process that has exited, so the command runs under bash, whose {@code times}
 * reports what its waited-for children used.
 */
public final class CpuTime {
  private static final Pattern TIME = Pattern.compile("(\\d+)m(\\d+(?:\\.\\d+)?)s");
  private static final long LIMIT_SECONDS = 600;

  private CpuTime() {}

  /** The command's result: its processor time and its exit code. */
  public record Used(double cpuSeconds, double wallSeconds, int exitCode) {}

  /**
   * Runs {@code builder}'s command (its environment, directory and redirections kept) under bash
   * and returns the processor seconds it used; {@code scratch} holds bash's report.
   */
  public static Used of(ProcessBuilder builder, Path scratch)
      throws IOException, InterruptedException {
    Path report = Files.createTempFile(scratch, "times-", ".txt");
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "bash",
                  "-c",
                  "report=$1; shift; \"$@\"; status=$?; times >\"$report\"; exit $status",
                  "bash",
                  report.toString()));
      command.addAll(builder.command());
      ProcessBuilder wrapped = builder.command(command);
      if (wrapped.redirectInput() == ProcessBuilder.Redirect.PIPE) {
        wrapped.redirectInput(new File("/dev/null"));
      }
      long start = System.nanoTime();
      Process p = wrapped.start();
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within " + LIMIT_SECONDS + " s");
      }
      double wall = (System.nanoTime() - start) / 1e9;
      // bash's times: its own user and system time, then its children's.
      List<String> lines = Files.readAllLines(report);
      if (lines.size() < 2) {
        throw new IllegalStateException("bash reported no times for " + command);
      }
      double cpu = 0;
      Matcher m = TIME.matcher(lines.get(1));
      while (m.find()) {
        cpu += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
      }
      return new Used(cpu, wall, p.exitValue());
    } finally {
      Files.deleteIfExists(report);
    }
  }
}
