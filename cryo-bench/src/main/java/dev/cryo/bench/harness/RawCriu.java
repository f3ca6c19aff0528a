package dev.cryo.bench.harness;

import dev.cryo.testkit.Processes;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code criu} command used directly, the baseline that cryo is measured against: the same dump
 * and restore options cryo passes (established TCP connections, nftables network lock), none of
 * cryo's work around them.
 */
public final class RawCriu {
  private RawCriu() {}

  /** Dumps the tree of {@code pid} into {@code dir} and returns the wall time in milliseconds. */
  public static double dump(long pid, Path dir, boolean leaveRunning)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> command =
        new ArrayList<>(
            List.of(
                "criu",
                "dump",
                "-t",
                Long.toString(pid),
                "-D",
                dir.toString(),
                "-o",
                "dump.log",
                "--tcp-established",
                "--network-lock",
                "nftables"));
    if (leaveRunning) {
      command.add("--leave-running");
    }
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(dir.resolve("criu.out").toFile())
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("criu dump of PID " + pid + " did not finish within 300 s");
    }
    double millis = (System.nanoTime() - start) / 1e6;
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "criu dump of PID "
              + pid
              + " failed with exit "
              + p.exitValue()
              + ":\n"
              + Processes.tail(dir.resolve("dump.log")));
    }
    return millis;
  }

  /**
   * A {@code criu restore} of {@code dir} in the foreground, to start with {@link Processes#start}:
   * CRIU stays the restored tree's parent and reaps it when it is killed, so the same image can be
   * restored again at once.
   */
  public static ProcessBuilder restore(Path dir, Path workDir, boolean lazy) throws IOException {
    Files.createDirectories(workDir);
    List<String> command =
        new ArrayList<>(
            List.of(
                "criu",
                "restore",
                "-D",
                dir.toString(),
                "-W",
                workDir.toString(),
                "-o",
                "restore.log",
                "--tcp-established",
                "--network-lock",
                "nftables"));
    if (lazy) {
      command.add("--lazy-pages");
    }
    return new ProcessBuilder(command)
        .redirectInput(new File("/dev/null"))
        .redirectOutput(workDir.resolve("criu.out").toFile())
        .redirectErrorStream(true);
  }

  /**
   * Starts {@code criu lazy-pages --daemon} for {@code dir} in {@code workDir}, where a restore
   * with {@code --lazy-pages} and the same work directory finds it; returns once it listens.
   */
  public static void startLazyPages(Path dir, Path workDir)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "criu",
                "lazy-pages",
                "--daemon",
                "-D",
                dir.toString(),
                "-W",
                workDir.toString(),
                "-o",
                "lazy-pages.log")
            .redirectInput(new File("/dev/null"))
            .redirectOutput(workDir.resolve("lazy.out").toFile())
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "criu lazy-pages did not start:\n" + Processes.tail(workDir.resolve("lazy-pages.log")));
    }
  }

  /** The end of a restore's log, for error messages. */
  public static String restoreLog(Path workDir) {
    return Processes.tail(workDir.resolve("restore.log"));
  }

  /**
   * Total size of the image files in {@code dir} as stored ({@code .img}, and {@code .img.zst} once
   * compressed), in bytes.
   */
  public static long imageBytes(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      long total = 0;
      for (Path f : files.filter(RawCriu::isImage).toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".img") || name.endsWith(".img.zst");
  }

  /**
   * Flushes the image files in {@code dir} to disk, as cryo does before it publishes a checkpoint,
   * and returns the time it took in milliseconds: what a raw dump would add to be as durable.
   */
  public static double fsync(Path dir) throws IOException {
    long start = System.nanoTime();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(RawCriu::isImage).toList()) {
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    }
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * Writes every dirty page of the machine back ({@code sync}), so that a measured dump does not
   * share the disk with the write-back of the one before.
   */
  public static void settle() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sync").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(300, TimeUnit.SECONDS);
  }

  /** {@code criu --version}'s version line, as "CRIU 4.2.1". */
  public static String version() {
    try {
      Process p = new ProcessBuilder("criu", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out.lines()
          .filter(l -> l.startsWith("Version:"))
          .findFirst()
          .map(l -> "CRIU " + l.substring("Version:".length()).trim())
          .orElse("CRIU (version unknown)");
    } catch (IOException e) {
      return "CRIU (version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "CRIU (version unknown)";
    }
  }
}
