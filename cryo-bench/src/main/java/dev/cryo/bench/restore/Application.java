package dev.cryo.bench.restore;

import dev.cryo.testkit.Jdks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The applications measured: the Spring Boot example, where start-up work dominates, the plain JDK
 * HTTP server, where there is little start-up work to save, and a server with a gigabyte of live
 * heap, where the pages to restore dominate; all with the cryo agent.
 */
public enum Application {
  SPRING("spring", "examples/spring-counter/target/spring-counter.jar") {
    @Override
    List<String> mainArguments(Path home, int port) {
      return List.of(
          "-Xmx256m",
          "-jar",
          home.resolve(jar).toString(),
          "--server.port=" + port,
          "--server.address=127.0.0.1");
    }

    @Override
    public String label(Path home) {
      String version = "";
      try (JarFile j = new JarFile(home.resolve(jar).toFile())) {
        String v = j.getManifest().getMainAttributes().getValue("Spring-Boot-Version");
        version = v == null ? "" : " " + v;
      } catch (IOException ignored) {
        // Labelled without a version.
      }
      return "Spring Boot" + version + " (examples/spring-counter, `-Xmx256m`)";
    }
  },
  PLAIN("plain", Application.EXAMPLES_JAR) {
    @Override
    List<String> mainArguments(Path home, int port) {
      return List.of(
          "-cp",
          home.resolve(jar).toString(),
          "dev.cryo.testprograms.CounterServer",
          Integer.toString(port));
    }

    @Override
    public String label(Path home) {
      return "JDK HTTP server (cryo-test-programs `CounterServer`)";
    }
  },
  HEAP("heap-1g", Application.EXAMPLES_JAR) {
    @Override
    List<String> mainArguments(Path home, int port) {
      return List.of(
          "-Xmx2304m",
          "-Dheap.rebind=true",
          "-cp",
          home.resolve(jar).toString(),
          "dev.cryo.testprograms.HeapServer",
          Integer.toString(port),
          Integer.toString(HEAP_LIVE_MEGABYTES));
    }

    @Override
    public String label(Path home) {
      return "HeapServer, 1 GiB live (cryo-test-programs, `-Xmx2304m`)";
    }
  };

  /** The live data of {@link #HEAP}, in MiB. */
  private static final int HEAP_LIVE_MEGABYTES = 1024;

  /** The cryo agent and the example programs' jar, relative to the checkout. */
  public static final String AGENT = "cryo-runtime/target/cryo-runtime.jar";

  public static final String EXAMPLES_JAR = "cryo-test-programs/target/cryo-test-programs.jar";

  /** Checkpoint name and file name prefix. */
  public final String id;

  /** The application's jar, relative to the checkout. */
  public final String jar;

  Application(String id, String jar) {
    this.id = id;
    this.jar = jar;
  }

  /** Whether this is the Spring Boot example, which issue 5's targets are about. */
  public boolean isSpringBoot() {
    return this == SPRING;
  }

  /**
   * Whether it closes its listening sockets for a checkpoint and opens them again after: Spring
   * Boot through org.crac, HeapServer with {@code -Dheap.rebind=true}. Only such a program can have
   * a standby restored beside it ({@code cryo run --standby}).
   */
  public boolean closesListenersForCheckpoints() {
    return this == SPRING || this == HEAP;
  }

  abstract List<String> mainArguments(Path home, int port);

  /** How the report names it. */
  public abstract String label(Path home);

  /**
   * The full command line on {@code java}: with {@code jvmOptions} (the agent, an AOT cache) before
   * the application's own arguments. Every JVM runs with {@code -XX:+PerfDisableSharedMem}, as
   * under {@code cryo run}, so that a restore does not depend on a leftover hsperfdata file.
   */
  public List<String> command(Path java, Path home, int port, List<String> jvmOptions) {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+PerfDisableSharedMem"));
    command.addAll(jvmOptions);
    command.addAll(mainArguments(home, port));
    return command;
  }

  /**
   * A program of cryo-test-programs ({@code mainClass} in its package {@code
   * dev.cryo.testprograms}) on the harness's JDK, with {@code jvmOptions} before its class path:
   * how the benchmarks run their servers and their load's clients.
   */
  public static List<String> testProgram(
      Path home, List<String> jvmOptions, String mainClass, String... arguments) {
    List<String> command = new ArrayList<>(List.of(Jdks.current().toString()));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp", home.resolve(EXAMPLES_JAR).toString(), "dev.cryo.testprograms." + mainClass));
    command.addAll(List.of(arguments));
    return command;
  }

  /** The option that loads the cryo agent. */
  public static String agent(Path home) {
    return "-javaagent:" + home.resolve(AGENT);
  }
}
