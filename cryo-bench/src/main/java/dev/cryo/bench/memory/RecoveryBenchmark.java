package dev.cryo.bench.memory;

import dev.cryo.bench.report.Statistics;
import dev.cryo.bench.report.Trees;
import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recovery time after kill -9 of a process working on 1 GiB of data, in each durability mode of
 * cryo-recoverable-memory and, as baselines, in LMDB and H2 MVStore.
 */
final class RecoveryBenchmark {
  record Measurement(String subject, String situation, int trials, double medianMillis) {}

  private final boolean quick;

  RecoveryBenchmark(boolean quick) {
    this.quick = quick;
  }

  List<Measurement> run() throws IOException, InterruptedException {
    long size = quick ? 128L << 20 : 1L << 30;
    int trials = quick ? 1 : 5;
    List<Measurement> result = new ArrayList<>();
    for (Durability mode : Durability.values()) {
      List<Double> millis = new ArrayList<>();
      for (int t = 0; t < trials; t++) {
        millis.add(trial(mode, size));
      }
      long undoMiB = RecoverableMemoryOptions.of(size, mode).undoCapacity() >> 20;
      String situation =
          (mode == Durability.PROCESS_CRASH
                  ? "a transaction in flight that fills the undo log (about "
                      + undoMiB
                      + " MiB to roll back)"
                  : "a redo log just under its 64 MiB folding threshold (replayed, then written back and flushed)")
              + (quick ? "; 128 MiB of data (smoke)" : "");
      result.add(
          new Measurement(
              mode == Durability.PROCESS_CRASH ? "cryo-process" : "cryo-machine",
              situation,
              trials,
              Statistics.median(millis)));
    }
    for (String peer : new String[] {"lmdb", "mvstore"}) {
      List<Double> millis = new ArrayList<>();
      for (int t = 0; t < trials; t++) {
        millis.add(peerTrial(peer, size));
      }
      result.add(
          new Measurement(
              peer.equals("lmdb") ? "lmdb-sync" : "mvstore-sync",
              "a 64 MiB write transaction in flight over committed 1 MiB values; time to open and read one value"
                  + (quick ? "; 128 MiB of data (smoke)" : ""),
              trials,
              Statistics.median(millis)));
    }
    return result;
  }

  private double peerTrial(String peer, long size) throws IOException, InterruptedException {
    Path dir = SubjectState.freshDirectory("recovery-" + peer);
    try {
      Path out = dir.resolve("workload.out");
      Process workload =
          java(PeerRecovery.class, "work", peer, dir.toString(), Long.toString(size))
              .redirectOutput(out.toFile())
              .start();
      awaitReady(workload, out);
      workload.destroyForcibly().waitFor();
      return probe(java(PeerRecovery.class, "probe", peer, dir.toString()));
    } finally {
      Trees.delete(dir);
    }
  }

  private static void awaitReady(Process workload, Path out)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!Files.readString(out).contains("ready")) {
      if (!workload.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "the recovery workload stopped before it was ready (exit "
                + (workload.isAlive() ? "none" : workload.exitValue())
                + ")");
      }
      Thread.sleep(20);
    }
  }

  private static double probe(ProcessBuilder command) throws IOException, InterruptedException {
    Process probe = command.start();
    String printed = new String(probe.getInputStream().readAllBytes()).trim();
    if (probe.waitFor() != 0) {
      throw new IOException("the recovery probe failed: " + printed);
    }
    return Long.parseLong(printed) / 1e6;
  }

  private double trial(Durability mode, long size) throws IOException, InterruptedException {
    Path dir = SubjectState.freshDirectory("recovery");
    try {
      Path file = dir.resolve("region");
      Path out = dir.resolve("workload.out");
      Process workload =
          java(RecoveryWorkload.class, file.toString(), mode.name(), Long.toString(size))
              .redirectOutput(out.toFile())
              .start();
      awaitReady(workload, out);
      workload.destroyForcibly().waitFor();
      return probe(java(RecoveryProbe.class, file.toString()));
    } finally {
      Trees.delete(dir);
    }
  }

  private static ProcessBuilder java(Class<?> main, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(RecoverableMemoryReport.PEER_JVM_ARGS));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
  }
}
