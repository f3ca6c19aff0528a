package dev.cryo.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines of the applications the runtime's integration tests run, with the agent. */
final class RuntimeApps {
  static final Path AGENT = Path.of(System.getProperty("cryo.runtime.jar", "../cryo-runtime/target/cryo-runtime.jar"));
  static final Path EXAMPLES = Path.of(System.getProperty("cryo.examples.jar", "../cryo-test-programs/target/cryo-test-programs.jar"));
  static final Path SPRING = Path.of(System.getProperty("cryo.spring.jar", "../examples/spring-counter/target/spring-counter.jar"));

  private RuntimeApps() {
  }

  /** JVM options that load the agent, with the given system properties. */
  static List<String> withAgent(String... properties) {
    List<String> options = new ArrayList<>(List.of("-Xmx64m", "-javaagent:" + AGENT.toAbsolutePath()));
    options.addAll(List.of(properties));
    return options;
  }

  /** The coordinated example service: main arguments. */
  static List<String> coordinatedService() {
    return List.of("-cp", EXAMPLES.toAbsolutePath().toString(), "dev.cryo.testprograms.participant.ParticipantService", "PORT");
  }
}
