package dev.cryo.testkit;

import dev.cryo.cluster.pki.ClusterAuthority;
import dev.cryo.cluster.tls.ClusterTls;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real etcd cluster on loopback for tests of the coordination store: one or three members of
 * Debian's etcd 3.4 ({@value #ETCD}) on free ports of 127.0.0.1, with mutual TLS on client and peer
 * URLs (certificates from a {@link ClusterAuthority} in {@code pki/} under its directory) and short
 * election timers. A member can be {@link #kill killed} (SIGKILL) and {@link #restart restarted} on
 * its data. Its members' logs are {@code mN/etcd.log}. {@link #close()} stops the followers first
 * and the leader last (a leader stopped first waits for its followers), and a shutdown hook kills
 * whatever runs still should the JVM end without it.
 */
public final class EtcdCluster implements AutoCloseable {
  public static final String ETCD = "/usr/bin/etcd";

  /** The name of the client certificate {@link #clientTls()} presents. */
  public static final String CLIENT = "test-client";

  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final Path directory;
  private final List<Member> members;
  private final ClusterTls clientTls;
  private final HttpClient probe;
  private final Thread shutdownHook = new Thread(this::killAll, "etcd-cluster-cleanup");

  private EtcdCluster(Path directory, List<Member> members, ClusterTls clientTls) {
    this.directory = directory;
    this.members = members;
    this.clientTls = clientTls;
    this.probe =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(clientTls.sslContext())
            .sslParameters(clientTls.clientParameters())
            .connectTimeout(PROBE_TIMEOUT)
            .build();
  }

  /**
   * Starts {@code size} members (1 or 3) with their data, certificates and logs under {@code
   * directory}, and waits until every one reports itself healthy.
   */
  public static EtcdCluster startIn(Path directory, int size)
      throws IOException, InterruptedException {
    if (size != 1 && size != 3) {
      throw new IllegalArgumentException("an etcd cluster of " + size + " members; use 1 or 3");
    }
    if (!Files.isExecutable(Path.of(ETCD))) {
      throw new IllegalStateException(
          ETCD + " is missing; scripts/prerequisites installs it (Debian's etcd-server)");
    }
    directory = directory.toAbsolutePath();
    Path pki = directory.resolve("pki");
    ClusterAuthority authority = ClusterAuthority.create(pki);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String name = "m" + i;
      authority.issue(name, List.of("127.0.0.1"), List.of("localhost"));
      members.add(
          new Member(name, directory.resolve(name), Processes.freePort(), Processes.freePort()));
    }
    Path[] client = authority.issue(CLIENT, List.of(), List.of());
    EtcdCluster cluster =
        new EtcdCluster(
            directory,
            List.copyOf(members),
            ClusterTls.load(authority.certificateFile(), client[0], client[1]));
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      for (Member member : members) {
        Files.createDirectories(member.directory());
        cluster.launch(member);
      }
      for (int i = 0; i < size; i++) {
        cluster.awaitHealthy(i);
      }
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The client URLs, {@code https://127.0.0.1:PORT}, in member order. */
  public List<URI> endpoints() {
    return members.stream().map(Member::clientUrl).toList();
  }

  public URI endpoint(int member) {
    return members.get(member).clientUrl();
  }

  /** The index of the member whose client URL is {@code endpoint}. */
  public int memberAt(URI endpoint) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).clientUrl().equals(endpoint)) {
        return i;
      }
    }
    throw new IllegalArgumentException(endpoint + " is no member of this cluster");
  }

  public int size() {
    return members.size();
  }

  /**
   * The cluster CA's directory: {@code ca.pem}, {@code ca-key.pem}, {@code NAME.pem}, {@code
   * NAME-key.pem}.
   */
  public Path pkiDirectory() {
    return directory.resolve("pki");
  }

  public Path caFile() {
    return pkiDirectory().resolve(ClusterAuthority.CERTIFICATE_FILE);
  }

  /** A client identity the members accept ({@value #CLIENT}). */
  public ClusterTls clientTls() {
    return clientTls;
  }

  public Path log(int member) {
    return members.get(member).log();
  }

  /** Kills a member with SIGKILL, as a crash would, and waits until it has exited. */
  public void kill(int member) throws InterruptedException {
    Member m = members.get(member);
    Process process = m.process;
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "etcd " + m.name() + " PID " + process.pid() + " survived kill -9");
    }
    m.process = null;
  }

  /** Starts a killed member again on its data, and waits until it reports itself healthy. */
  public void restart(int member) throws IOException, InterruptedException {
    Member m = members.get(member);
    if (m.process != null && m.process.isAlive()) {
      throw new IllegalStateException("etcd " + m.name() + " is running already");
    }
    launch(m);
    awaitHealthy(member);
  }

  public boolean isRunning(int member) {
    Process process = members.get(member).process;
    return process != null && process.isAlive();
  }

  /** The member that is the leader now, if a running one says so. */
  public Optional<Integer> leader() {
    for (int i = 0; i < members.size(); i++) {
      if (isRunning(i) && get(i, "/metrics").map(EtcdCluster::saysLeader).orElse(false)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Whether the member answers {@code /health} with health true. */
  public boolean isHealthy(int member) {
    return get(member, "/health").map(body -> body.contains("\"health\":\"true\"")).orElse(false);
  }

  private static boolean saysLeader(String metrics) {
    return metrics.lines().anyMatch(line -> line.equals("etcd_server_is_leader 1"));
  }

  private Optional<String> get(int member, String path) {
    try {
      HttpResponse<String> response =
          probe.send(
              HttpRequest.newBuilder(endpoint(member).resolve(path))
                  .timeout(PROBE_TIMEOUT)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void awaitHealthy(int member) throws InterruptedException {
    Member m = members.get(member);
    Processes.awaitTrue(
        "etcd "
            + m.name()
            + " to report itself healthy at "
            + m.clientUrl()
            + " (log: "
            + m.log()
            + ")",
        STARTUP,
        () -> {
          Process process = m.process;
          if (process == null || !process.isAlive()) {
            throw new IllegalStateException(
                "etcd " + m.name() + " exited (log: " + m.log() + "):\n" + Processes.tail(m.log()));
          }
          return isHealthy(member);
        });
  }

  private void launch(Member member) throws IOException {
    Path pki = pkiDirectory();
    String cert = pki.resolve(member.name() + ".pem").toString();
    String key = pki.resolve(member.name() + "-key.pem").toString();
    String ca = caFile().toString();
    String initialCluster =
        members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    List<String> command =
        List.of(
            ETCD,
            "--name=" + member.name(),
            "--data-dir=" + member.directory().resolve("data"),
            "--listen-client-urls=" + member.clientUrl(),
            "--advertise-client-urls=" + member.clientUrl(),
            "--listen-peer-urls=" + member.peerUrl(),
            "--initial-advertise-peer-urls=" + member.peerUrl(),
            "--initial-cluster=" + initialCluster,
            "--initial-cluster-state=new",
            "--initial-cluster-token=cryo-test",
            "--client-cert-auth",
            "--trusted-ca-file=" + ca,
            "--cert-file=" + cert,
            "--key-file=" + key,
            "--peer-client-cert-auth",
            "--peer-trusted-ca-file=" + ca,
            "--peer-cert-file=" + cert,
            "--peer-key-file=" + key,
            "--heartbeat-interval=50",
            "--election-timeout=500",
            "--logger=zap");
    member.process =
        new ProcessBuilder(command)
            .directory(member.directory().toFile())
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(member.log().toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(member.log().toFile()))
            .start();
  }

  /**
   * Stops every member, the followers first and the leader last: a leader stopped before its
   * followers waits seconds for them to leave.
   */
  @Override
  public void close() {
    Optional<Integer> leader = leader();
    List<Integer> order =
        IntStream.range(0, members.size())
            .boxed()
            .sorted(Comparator.comparing(i -> leader.isPresent() && leader.get().equals(i)))
            .toList();
    for (int i : order) {
      Process process = members.get(i).process;
      if (process == null) {
        continue;
      }
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        killAll();
        break;
      }
      members.get(i).process = null;
    }
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down already; the hook runs and finds nothing left.
    }
  }

  private void killAll() {
    for (Member member : members) {
      Process process = member.process;
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }

  /** One member: its name, directory, ports and the process running it (null when not). */
  private static final class Member {
    private final String name;
    private final Path directory;
    private final int clientPort;
    private final int peerPort;
    private volatile Process process;

    Member(String name, Path directory, int clientPort, int peerPort) {
      this.name = name;
      this.directory = directory;
      this.clientPort = clientPort;
      this.peerPort = peerPort;
    }

    String name() {
      return name;
    }

    Path directory() {
      return directory;
    }

    Path log() {
      return directory.resolve("etcd.log");
    }

    URI clientUrl() {
      return URI.create("https://127.0.0.1:" + clientPort);
    }

    URI peerUrl() {
      return URI.create("https://127.0.0.1:" + peerPort);
    }
  }
}
