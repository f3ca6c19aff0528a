package dev.cryo.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3 API server on a directory, for tests of remote repositories: s3proxy (the jar the build
 * copies and names in the system property {@value #JAR_PROPERTY}) on a free loopback port, with a
 * fixed test identity. It can be {@link #stop() stopped} and {@link #start() started} again on the
 * same port and data, as a server that goes away mid-upload and comes back. Its log goes to {@code
 * s3proxy.log} in its directory.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String JAR_PROPERTY = "cryo.s3proxy.jar";
  public static final String ACCESS_KEY = "cryo-test";
  public static final String SECRET_KEY = "cryo-test-secret";
  public static final String REGION = "us-east-1";
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Path directory;
  private final Path jar;
  private final int port;
  private Process process;

  private S3Proxy(Path directory, Path jar, int port) {
    this.directory = directory;
    this.jar = jar;
    this.port = port;
  }

  /**
   * Starts s3proxy with its properties, log and data under {@code directory} and waits until it
   * answers HTTP.
   */
  public static S3Proxy startIn(Path directory) throws IOException, InterruptedException {
    S3Proxy proxy = new S3Proxy(directory.toAbsolutePath(), jar(), Processes.freePort());
    Files.createDirectories(proxy.dataDirectory());
    proxy.writeProperties();
    proxy.start();
    return proxy;
  }

  /** Starts the server (again) on the same port and data; waits until it answers HTTP. */
  public void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("s3proxy on port " + port + " is running already");
    }
    removeHalfWrittenObjects();
    Path log = log();
    process =
        new ProcessBuilder(
                List.of(
                    Processes.javaBinary(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString(),
                    "--properties",
                    properties().toString()))
            .directory(directory.toFile())
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Process started = process;
    try {
      // Any HTTP answer will do: without credentials, s3proxy refuses the request.
      Processes.awaitTrue(
          "s3proxy to answer on " + endpoint() + " (log: " + log + ")",
          STARTUP,
          () -> {
            if (!started.isAlive()) {
              throw new IllegalStateException(
                  "s3proxy exited with "
                      + started.exitValue()
                      + " (log: "
                      + log
                      + "):\n"
                      + Processes.tail(log));
            }
            try {
              HttpProbe.get(port, "/");
              return true;
            } catch (IOException e) {
              return false;
            }
          });
    } catch (RuntimeException | Error | InterruptedException e) {
      stop();
      throw e;
    }
  }

  /**
   * Deletes the files of objects a killed s3proxy was writing. Its directory backend writes an
   * object to a temporary file and sets the object's attributes last; the temporary file of a write
   * cut short lacks them, and s3proxy then fails every listing of its directory (HTTP 500). A real
   * S3 service never shows a half-written object, so the tests clear what s3proxy leaves.
   */
  private void removeHalfWrittenObjects() throws IOException {
    if (!Files.isDirectory(dataDirectory())) {
      return;
    }
    List<Path> files;
    try (Stream<Path> all = Files.walk(dataDirectory())) {
      files = all.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      UserDefinedFileAttributeView attributes =
          Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
      if (attributes != null && !attributes.list().contains("user.content-md5")) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Kills the server, as a crash would, and waits until it has exited. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("s3proxy PID " + process.pid() + " survived kill -9");
    }
    process = null;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  public String region() {
    return REGION;
  }

  /** Where the objects are: {@code bucket/key} files below it. */
  public Path dataDirectory() {
    return directory.resolve("data");
  }

  public Path log() {
    return directory.resolve("s3proxy.log");
  }

  /**
   * The variables that point an AWS client, such as the {@code cryo} command, at this server: add
   * them to a subprocess's environment. They also keep the SDK from asking the EC2 metadata service
   * (an address off this machine) for credentials should a test drop the keys.
   */
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ENDPOINT_URL", endpoint(),
        "AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
        "AWS_REGION", REGION,
        "AWS_EC2_METADATA_DISABLED", "true");
  }

  /** Kills the server; its directory stays. */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      // Killed already; only the wait for its exit was cut short.
      Thread.currentThread().interrupt();
    }
  }

  private Path properties() {
    return directory.resolve("s3proxy.properties");
  }

  private void writeProperties() throws IOException {
    // filesystem-nio2 wants the jclouds identity too; without ignore-unknown-headers the SDK's
    // multipart uploads get 501.
    Files.writeString(
        properties(),
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "s3proxy.ignore-unknown-headers=true",
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + dataDirectory(),
            "jclouds.identity=" + ACCESS_KEY,
            "jclouds.credential=" + SECRET_KEY,
            ""));
  }

  private static Path jar() {
    String property = System.getProperty(JAR_PROPERTY);
    if (property == null || property.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + JAR_PROPERTY
              + " is not set; run the tests through Maven (cryo-integration-tests copies s3proxy to"
              + " target/s3proxy/s3proxy.jar) or pass -D"
              + JAR_PROPERTY
              + "=PATH");
    }
    Path jar = Path.of(property).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          JAR_PROPERTY
              + " names "
              + jar
              + ", which does not exist; build cryo-integration-tests (its process-test-resources"
              + " phase copies s3proxy there)");
    }
    return jar;
  }
}
