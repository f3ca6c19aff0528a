package dev.cryo.testprograms.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A real Spring Boot web application for the checkpoint/restore integration tests: a full Spring
 * context with an embedded Tomcat and in-memory state is a realistic JVM workload to freeze and
 * thaw. It references no Cryo class; the port comes from the standard {@code server.port} property
 * (default 8080).
 */
@SpringBootApplication
public class SpringCounterApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot command-line arguments, e.g. {@code --server.port=18080}
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringCounterApplication.class, args);
  }
}
