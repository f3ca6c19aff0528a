package dev.cryo.cli;

import dev.cryo.node.ClusterClient;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code cryo logs NAME}: a supervised program's output. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Show a supervised program's output: its stdout, then its stderr (or one of them).",
      "With -f, keep printing what either writes until the program's run ends."
    })
final class LogsCommand extends RunNameCommand {
  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new output until the run ends (or Ctrl-C).")
  boolean follow;

  @Option(names = "--stdout", description = "Only its standard output.")
  boolean stdoutOnly;

  @Option(names = "--stderr", description = "Only its standard error.")
  boolean stderrOnly;

  @Mixin ClusterOption cluster;

  @Override
  public Integer call() throws Exception {
    if (cluster.enabled) {
      return clusterLogs();
    }
    RunDirectory run = cryo.runs().find(name);
    List<Path> files = new ArrayList<>();
    if (!stderrOnly) {
      files.add(run.stdout());
    }
    if (!stdoutOnly) {
      files.add(run.stderr());
    }
    OutputStream out = System.out;
    long[] offsets = new long[files.size()];
    for (int i = 0; i < files.size(); i++) {
      offsets[i] = copyFrom(files.get(i), 0, out);
    }
    while (follow && !ended(run)) {
      Thread.sleep(200);
      for (int i = 0; i < files.size(); i++) {
        offsets[i] = copyFrom(files.get(i), offsets[i], out);
      }
    }
    out.flush();
    return ExitCode.OK.code();
  }

  private static boolean ended(RunDirectory run) throws IOException {
    Optional<RunState> state = run.state();
    return state.isPresent() && state.get().status().isFinal();
  }

  /** Copies what {@code file} holds from {@code offset} on; returns the new offset. */
  private static long copyFrom(Path file, long offset, OutputStream out) throws IOException {
    if (!Files.isRegularFile(file)) {
      return offset;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      long from = length < offset ? 0 : offset; // shorter: it was replaced; start over
      in.seek(from);
      byte[] buffer = new byte[64 * 1024];
      long position = from;
      int n;
      while (position < length
          && (n = in.read(buffer, 0, (int) Math.min(buffer.length, length - position))) > 0) {
        out.write(buffer, 0, n);
        position += n;
      }
      out.flush();
      return position;
    }
  }

  /** The tail of a cluster program's output, from the node that runs it. */
  private int clusterLogs() throws Exception {
    if (follow) {
      throw new ParameterException(
          cryo.spec.commandLine().getSubcommands().get("logs"),
          "--follow is for programs of this host; with --cluster, run it again to see more");
    }
    ClusterClient client = cluster.connection.client();
    OutputStream out = System.out;
    if (!stderrOnly) {
      out.write(client.logs(name, "stdout", CLUSTER_TAIL_BYTES));
    }
    if (!stdoutOnly) {
      out.write(client.logs(name, "stderr", CLUSTER_TAIL_BYTES));
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** How much of each stream a node sends: the tail that matters, bounded. */
  private static final int CLUSTER_TAIL_BYTES = 256 * 1024;
}
