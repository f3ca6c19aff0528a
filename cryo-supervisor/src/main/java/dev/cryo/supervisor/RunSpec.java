package dev.cryo.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param network the file of an existing network namespace the program runs in (such as {@code
 *     /run/netns/cryo-web}), made and kept by whoever placed the run (a node); null: the host's
 * @param fence the file of the ownership fence ({@link OwnershipFence}) past whose deadline the
 *     program must not run here any more, or null for a run that no one else may take over
 * @param startFrom the checkpoint in the store that the run's first start restores, rather than
 *     starting the command; null for a cold start
 * @param standby whether the supervisor keeps a standby of the newest checkpoint: a copy restored
 *     stopped beside the program, resumed in its place when it dies (see {@code Standby})
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
    Remote remote,
    String network,
    String fence,
    String startFrom,
    boolean standby) {
  public static final Duration DEFAULT_EVERY = Duration.ofMinutes(5);
  public static final int DEFAULT_KEEP = 3;
  public static final int DEFAULT_MAX_RESTARTS = 5;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

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

  /**
   * A spec for running {@code command} as {@code name}, begun now, from /, with an empty
   * environment and the defaults of {@code cryo run} for everything else.
   */
  public static Builder builder(String name, List<String> command) {
    return new Builder(name, command);
  }

  /** A builder that starts from this spec. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same spec, begun at another time. */
  public RunSpec withCreatedAt(String time) {
    return toBuilder().createdAt(time).build();
  }

  /** The same spec, uploading its checkpoints to {@code repository} (null: to none). */
  public RunSpec withRemote(Remote repository) {
    return toBuilder().remote(repository).build();
  }

  /** Builds a {@link RunSpec}; see its components for what each setting means. */
  public static final class Builder {
    private final String name;
    private final List<String> command;
    private String workingDirectory = "/";
    private Map<String, String> environment = Map.of();
    private long everyMillis = DEFAULT_EVERY.toMillis();
    private int keep = DEFAULT_KEEP;
    private RestartPolicy restart = RestartPolicy.ON_CRASH;
    private boolean coldStart;
    private int maxRestarts = DEFAULT_MAX_RESTARTS;
    private long timeoutMillis = DEFAULT_TIMEOUT.toMillis();
    private String origin;
    private String originRun;
    private Map<String, String> properties = Map.of();
    private String createdAt = Instant.now().toString();
    private Remote remote;
    private String network;
    private String fence;
    private String startFrom;
    private boolean standby;

    private Builder(String name, List<String> command) {
      this.name = name;
      this.command = command;
    }

    private Builder(RunSpec spec) {
      this(spec.name, spec.command);
      workingDirectory = spec.workingDirectory;
      environment = spec.environment;
      everyMillis = spec.everyMillis;
      keep = spec.keep;
      restart = spec.restart;
      coldStart = spec.coldStart;
      maxRestarts = spec.maxRestarts;
      timeoutMillis = spec.timeoutMillis;
      origin = spec.origin;
      originRun = spec.originRun;
      properties = spec.properties;
      createdAt = spec.createdAt;
      remote = spec.remote;
      network = spec.network;
      fence = spec.fence;
      startFrom = spec.startFrom;
      standby = spec.standby;
    }

    public Builder workingDirectory(String directory) {
      this.workingDirectory = directory;
      return this;
    }

    public Builder environment(Map<String, String> variables) {
      this.environment = variables;
      return this;
    }

    public Builder every(Duration interval) {
      this.everyMillis = interval.toMillis();
      return this;
    }

    public Builder keep(int count) {
      this.keep = count;
      return this;
    }

    public Builder restart(RestartPolicy policy) {
      this.restart = policy;
      return this;
    }

    public Builder coldStart(boolean allowed) {
      this.coldStart = allowed;
      return this;
    }

    public Builder maxRestarts(int count) {
      this.maxRestarts = count;
      return this;
    }

    public Builder timeout(Duration limit) {
      this.timeoutMillis = limit.toMillis();
      return this;
    }

    /**
     * A copy of checkpoint {@code checkpoint}, taken of run {@code run}, given {@code
     * systemProperties}.
     */
    public Builder origin(String checkpoint, String run, Map<String, String> systemProperties) {
      this.origin = checkpoint;
      this.originRun = run;
      this.properties = systemProperties;
      return this;
    }

    public Builder createdAt(String time) {
      this.createdAt = time;
      return this;
    }

    public Builder remote(Remote repository) {
      this.remote = repository;
      return this;
    }

    public Builder network(String namespaceFile) {
      this.network = namespaceFile;
      return this;
    }

    public Builder fence(String fenceFile) {
      this.fence = fenceFile;
      return this;
    }

    public Builder standby(boolean kept) {
      this.standby = kept;
      return this;
    }

    public Builder startFrom(String checkpoint) {
      this.startFrom = checkpoint;
      return this;
    }

    public RunSpec build() {
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
          remote,
          network,
          fence,
          startFrom,
          standby);
    }
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

  /** The network namespace the program runs in, if not the host's. */
  public Optional<Path> networkNamespace() {
    return Optional.ofNullable(network).map(Path::of);
  }

  /** The ownership fence the run obeys, if it has one. */
  public Optional<Path> fenceFile() {
    return Optional.ofNullable(fence).map(Path::of);
  }
}
