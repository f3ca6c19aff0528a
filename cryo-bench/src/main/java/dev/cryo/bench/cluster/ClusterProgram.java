package dev.cryo.bench.cluster;

import dev.cryo.bench.restore.Application;
import dev.cryo.testkit.Jdks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program the failover benchmark submits to the cluster: the Spring Boot example, whose cold
 * start is start-up work, and a HeapServer holding a large live heap, whose checkpoint is large.
 * Both answer {@code GET /count}.
 */
public enum ClusterProgram {
  SPRING("spring") {
    @Override
    List<String> arguments(Path home, String address, int port, boolean quick) {
      return List.of(
          "-Xmx256m",
          "-jar",
          home.resolve(Application.SPRING.jar).toString(),
          "--server.port=" + port,
          "--server.address=" + address);
    }

    @Override
    public String label(Path home) {
      return Application.SPRING.label(home);
    }
  },
  HEAP("heap") {
    @Override
    List<String> arguments(Path home, String address, int port, boolean quick) {
      return List.of(
          "-Xmx" + maxHeapMegabytes(quick) + "m",
          // 1 MiB arrays in regions of 4 MiB are ordinary objects; in G1's default 1 MiB regions
          // of this heap each would take two regions, and the heap would not hold them.
          "-XX:G1HeapRegionSize=4m",
          "-cp",
          home.resolve(Application.EXAMPLES_JAR).toString(),
          "dev.cryo.testprograms.HeapServer",
          Integer.toString(port),
          Integer.toString(liveMegabytes(quick)),
          address);
    }

    @Override
    public String label(Path home) {
      return "HeapServer (cryo-test-programs)";
    }
  };

  /** Its name in the cluster is this and the trial's number. */
  public final String id;

  ClusterProgram(String id) {
    this.id = id;
  }

  abstract List<String> arguments(Path home, String address, int port, boolean quick);

  /** How the report names it. */
  public abstract String label(Path home);

  /** HeapServer's live data: about 1 GiB, a quarter of it in the smoke configuration. */
  public static int liveMegabytes(boolean quick) {
    return quick ? 256 : 1024;
  }

  static int maxHeapMegabytes(boolean quick) {
    return liveMegabytes(quick) * 3 / 2;
  }

  /** How it is described in the report: its heap settings. */
  public String heap(boolean quick) {
    return this == SPRING
        ? "`-Xmx256m`"
        : String.format(
            "%d MiB live in 1 MiB arrays, `-Xmx%dm -XX:G1HeapRegionSize=4m`",
            liveMegabytes(quick), maxHeapMegabytes(quick));
  }

  /** The command line, on this build's JDK, serving {@code /count} at {@code address:port}. */
  public List<String> command(Path home, String address, int port, boolean quick) {
    List<String> command = new ArrayList<>(List.of(Jdks.current().toString()));
    command.addAll(arguments(home, address, port, quick));
    return command;
  }
}
