package dev.cryo.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The built jars the integration tests run applications from (the build passes their paths as
 * system properties; the defaults suit a test run from a module directory), and the command lines
 * that start those applications with the runtime's agent.
 */
public final class RuntimeApps {
  public static final Path AGENT =
      Path.of(System.getProperty("cryo.runtime.jar", "../cryo-runtime/target/cryo-runtime.jar"));
  public static final Path EXAMPLES =
      Path.of(
          System.getProperty(
              "cryo.examples.jar", "../cryo-test-programs/target/cryo-test-programs.jar"));
  public static final Path SPRING =
      Path.of(
          System.getProperty(
              "cryo.spring.jar", "../examples/spring-counter/target/spring-counter.jar"));

  private RuntimeApps() {}

  /** JVM options that load the agent, with the given system properties. */
  public static List<String> withAgent(String... properties) {
    List<String> options =
        new ArrayList<>(List.of("-Xmx64m", "-javaagent:" + AGENT.toAbsolutePath()));
    options.addAll(List.of(properties));
    return options;
  }

  /** The participant example service: main arguments. */
  public static List<String> participantService() {
    return List.of(
        "-cp",
        EXAMPLES.toAbsolutePath().toString(),
        "dev.cryo.testprograms.participant.ParticipantService",
        "PORT");
  }
}
