package dev.cryo.bench.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The applications measured: the Spring Boot example, where start-up work dominates, and the
 * plain JDK HTTP server, where there is little start-up work to save; both with the cryo agent.
 */
enum Application {
  SPRING("spring", "examples/spring-counter/target/spring-counter.jar") {
    @Override
    List<String> mainArguments(Path home, int port) {
      return List.of("-Xmx256m", "-jar", home.resolve(jar).toString(), "--server.port=" + port,
          "--server.address=127.0.0.1");
    }

    @Override
    String label(Path home) {
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
  PLAIN("plain", "cryo-examples/target/cryo-examples.jar") {
    @Override
    List<String> mainArguments(Path home, int port) {
      return List.of("-cp", home.resolve(jar).toString(), "dev.cryo.examples.CounterServer", Integer.toString(port));
    }

    @Override
    String label(Path home) {
      return "JDK HTTP server (cryo-examples `CounterServer`)";
    }
  };

  static final String AGENT = "cryo-runtime/target/cryo-runtime.jar";

  /** Checkpoint name and file name prefix. */
  final String id;
  /** The application's jar, relative to the checkout. */
  final String jar;

  Application(String id, String jar) {
    this.id = id;
    this.jar = jar;
  }

  abstract List<String> mainArguments(Path home, int port);

  /** How the report names it. */
  abstract String label(Path home);

  /** The full command line: the harness's own JDK, the agent, then the application. */
  List<String> command(Path home, int port) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + home.resolve(AGENT)));
    command.addAll(mainArguments(home, port));
    return command;
  }
}
