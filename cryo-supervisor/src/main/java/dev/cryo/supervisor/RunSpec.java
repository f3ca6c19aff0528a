package dev.cryo.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code cryo run} (or {@code cryo restore --as}) was asked to do, kept in the run's directory
 * so that any later supervisor carries on the same way.
 *
 * @param name the run's unique name
 * @param command the program and its arguments, for a cold start
 * @param workingDirectory where a cold start runs it
 * @param environment the environment of a cold start (the file is private: it may hold secrets)
 * @param everyMillis how often to checkpoint it
 * @param keep how many of its checkpoints to keep
 * @param restart when to bring it back
 * @param coldStart whether to start it afresh when no checkpoint restores
 * @param maxRestarts how many quick endings in a row are tolerated before giving up
 * @param timeoutMillis how long its processes may take to prepare for a checkpoint
 * @param origin the checkpoint a copy was restored from ({@code restore --as}), or null
 * @param originRun the run that checkpoint was taken of, or null
 * @param properties the system properties a copy is given when restored from {@code origin}
 * @param createdAt when the run began (ISO-8601): checkpoints of an earlier run of the same name
 *     are not this run's
 * @param remote the remote repository each checkpoint is uploaded to, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(
    String name,
    List<String> command,
    String workingDirectory,
    Map<String, String> environment,
    long everyMillis,
    int keep,
    RestartPolicy restart,
    boolean coldStart,
    int maxRestarts,
    long timeoutMillis,
    String origin,
    String originRun,
    Map<String, String> properties,
    String createdAt,
    Remote remote) {
  public static final Duration DEFAULT_EVERY = Duration.ofMinutes(5);
  public static final int DEFAULT_KEEP = 3;
  public static final int DEFAULT_MAX_RESTARTS = 5;

  public RunSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    command = List.copyOf(command);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    if (everyMillis <= 0 || keep <= 0 || maxRestarts <= 0 || timeoutMillis <= 0) {
      throw new IllegalArgumentException("every, keep, max-restarts and timeout must be positive");
    }
  }

  /** The same spec, begun at another time. */
  public RunSpec withCreatedAt(String time) {
    return new RunSpec(
        name,
        command,
        workingDirectory,
        environment,
        everyMillis,
        keep,
        restart,
        coldStart,
        maxRestarts,
        timeoutMillis,
        origin,
        originRun,
        properties,
        time,
        remote);
  }

  /** The same spec, uploading its checkpoints to {@code repository} (null: to none). */
  public RunSpec withRemote(Remote repository) {
    return new RunSpec(
        name,
        command,
        workingDirectory,
        environment,
        everyMillis,
        keep,
        restart,
        coldStart,
        maxRestarts,
        timeoutMillis,
        origin,
        originRun,
        properties,
        createdAt,
        repository);
  }

  /**
   * Where a run's checkpoints are uploaded, as the supervisor needs it to open the repository
   * itself: it runs in a process of its own, maybe long after {@code cryo run} ended.
   *
   * @param location the repository, as the command line normalizes it ({@code s3://BUCKET/PREFIX}
   *     or an absolute directory)
   * @param keyFile the absolute path of its key file (the key itself is never in the spec)
   * @param endpoint the S3 endpoint given, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Remote(String location, String keyFile, String endpoint) {
    public Remote {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(keyFile, "keyFile");
    }
  }

  public Duration every() {
    return Duration.ofMillis(everyMillis);
  }

  public Duration timeout() {
    return Duration.ofMillis(timeoutMillis);
  }
}
