package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.testkit.Processes;
import dev.cryo.testkit.Testbed;
import dev.cryo.testkit.Testbed.Result;
import dev.cryo.testkit.Testbed.UpOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster test bed ({@code scripts/testbed}) is what the cluster's tests take it for: hosts on
 * one LAN that reach each other and nothing else, an etcd of three members that only speaks mutual
 * TLS, hosts that die whole and come back, and cables that can be cut.
 */
class TestbedIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Testbed testbed;

  @BeforeAll
  static void up() throws Exception {
    testbed = new Testbed(tmp.resolve("testbed"));
    testbed.up(UpOption.NO_NODES);
  }

  @AfterAll
  static void down() throws Exception {
    if (testbed != null) {
      testbed.down();
    }
  }

  @Test
  void theClientAndTheHostsReachEveryHostsEtcd() throws Exception {
    for (String host : Testbed.HOSTS) {
      assertThat(health(Testbed.CLIENT, host).stdout())
          .as("etcd /health of %s asked from the client", host)
          .contains("\"health\":\"true\"");
    }
    assertThat(health("cryo-a", "cryo-c").stdout())
        .as("etcd /health of cryo-c asked from cryo-a")
        .contains("\"health\":\"true\"");
  }

  @Test
  void theRootNamespaceCannotSendTestTrafficOffThisMachine() throws Exception {
    Process ip =
        new ProcessBuilder(
                "ip", "route", "show", "exact", Testbed.SAFETY_ROUTE, "type", "unreachable")
            .redirectErrorStream(true)
            .start();
    String routes = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ip.waitFor();
    assertThat(routes)
        .as("the root namespace's route for the test addresses")
        .contains("unreachable " + Testbed.SAFETY_ROUTE);
  }

  @Test
  void etcdHasThreeMembersAllHealthy() throws Exception {
    assertThat(memberNames("cryo-b"))
        .as("etcd's members")
        .containsExactlyInAnyOrderElementsOf(Testbed.HOSTS);
    for (String host : Testbed.HOSTS) {
      assertThat(health(Testbed.CLIENT, host).stdout())
          .as("etcd /health of %s", host)
          .contains("\"health\":\"true\"");
    }
  }

  @Test
  void etcdRefusesAClientWithoutACertificate() throws Exception {
    Result refused =
        testbed.exec(
            Testbed.CLIENT,
            "curl",
            "-s",
            "-m",
            "5",
            "--cacert",
            testbed.pki().resolve("ca.pem").toString(),
            "https://" + Testbed.address("cryo-a") + ":2379/health");
    assertThat(refused.exitCode())
        .as("curl's exit code for a request without a client certificate: %s", refused.describe())
        .isNotZero();
    assertThat(refused.stdout())
        .as("what etcd answered without a certificate")
        .doesNotContain("health");
  }

  @Test
  void aKilledHostLeavesNoProcessAndTheOtherMembersKeepAnswering() throws Exception {
    long init = testbed.initPid("cryo-a");
    Path pidNamespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns", "pid"));
    Result started = testbed.exec("cryo-a", "setsid", "-f", "sleep", "600");
    assertThat(started.exitCode())
        .as("a program started on cryo-a: %s", started.describe())
        .isZero();
    assertThat(processesIn(pidNamespace)).as("cryo-a's processes before the kill").isNotEmpty();
    try {
      testbed.kill("cryo-a");

      assertThat(processesIn(pidNamespace))
          .as("processes of cryo-a's PID namespace left after the kill")
          .isEmpty();
      assertThat(Processes.isAlive(init)).as("cryo-a's init alive after the kill").isFalse();
      assertThat(testbed.exec("cryo-a", "true").exitCode())
          .as("exec on a killed host (9: the host is down)")
          .isEqualTo(9);
      for (String host : List.of("cryo-b", "cryo-c")) {
        awaitHealthy(Testbed.CLIENT, host);
      }
    } finally {
      startIfKilled("cryo-a");
    }
  }

  @Test
  void aStartedHostRejoinsWithItsMemberAndCatchesUp() throws Exception {
    testbed.kill("cryo-b");
    try {
      put("cryo-a", "/testbed-it/while-b-was-down", "written");
    } finally {
      testbed.start("cryo-b");
    }

    awaitHealthy(Testbed.CLIENT, "cryo-b");
    assertThat(memberNames("cryo-b"))
        .as("etcd's members after cryo-b came back")
        .containsExactlyInAnyOrderElementsOf(Testbed.HOSTS);
    Processes.awaitTrue(
        "cryo-b's own copy to hold the key written while it was down",
        TIMEOUT,
        () -> "written".equals(localValue("cryo-b", "/testbed-it/while-b-was-down")));
  }

  @Test
  void aCutHostIsUnreachableUntilHealed() throws Exception {
    testbed.cut("cryo-c");
    try {
      Result cut = health(Testbed.CLIENT, "cryo-c");
      assertThat(cut.exitCode()).as("curl to cut cryo-c: %s", cut.describe()).isNotZero();
      assertThat(health(Testbed.CLIENT, "cryo-a").exitCode())
          .as("curl to cryo-a while cryo-c is cut")
          .isZero();
    } finally {
      testbed.heal("cryo-c");
    }
    awaitHealthy(Testbed.CLIENT, "cryo-c");
  }

  @Test
  void envPointsClientsAtTheTestbed() throws Exception {
    Map<String, String> env = testbed.env();
    assertThat(env)
        .as("scripts/testbed env")
        .containsEntry(
            "CRYO_ETCD_ENDPOINTS",
            "https://198.18.0.1:2379,https://198.18.0.2:2379,https://198.18.0.3:2379")
        .containsEntry("CRYO_CLUSTER_CERT", testbed.pki().resolve("cryo-admin.pem").toString())
        .containsEntry("AWS_ENDPOINT_URL", "http://198.18.0.250:8080")
        .containsEntry("CRYO_REPOSITORY", "s3://cryo/testbed")
        .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "CRYO_REPOSITORY_KEY");
  }

  private static Result health(String from, String host) throws IOException, InterruptedException {
    return etcd(from, host, "/health", null);
  }

  /** A request to {@code host}'s etcd from namespace {@code from}, with the admin certificate. */
  private static Result etcd(String from, String host, String path, String body)
      throws IOException, InterruptedException {
    Path pki = testbed.pki();
    List<String> curl =
        new ArrayList<>(
            List.of(
                "curl",
                "-s",
                "-m",
                "3",
                "--cacert",
                pki.resolve("ca.pem").toString(),
                "--cert",
                pki.resolve("cryo-admin.pem").toString(),
                "--key",
                pki.resolve("cryo-admin-key.pem").toString()));
    if (body != null) {
      curl.addAll(List.of("-X", "POST", "-d", body));
    }
    curl.add("https://" + Testbed.address(host) + ":2379" + path);
    return testbed.exec(from, curl.toArray(String[]::new));
  }

  private static void awaitHealthy(String from, String host) throws InterruptedException {
    Processes.awaitTrue(
        "etcd on " + host + " to answer healthy",
        TIMEOUT,
        () -> {
          try {
            return health(from, host).stdout().contains("\"health\":\"true\"");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  private static List<String> memberNames(String host) throws IOException, InterruptedException {
    Result list = etcd(Testbed.CLIENT, host, "/v3/cluster/member/list", "{}");
    assertThat(list.exitCode()).as("member list: %s", list.describe()).isZero();
    List<String> names = new ArrayList<>();
    for (JsonNode member : JSON.readTree(list.stdout()).path("members")) {
      names.add(member.path("name").asText());
    }
    return names;
  }

  /** Puts {@code key}, again until it is taken: a member that lost its leader answers late. */
  private static void put(String host, String key, String value) throws InterruptedException {
    String body =
        JSON.createObjectNode().put("key", base64(key)).put("value", base64(value)).toString();
    Processes.awaitTrue(
        "a put on " + host + " to be taken",
        TIMEOUT,
        () -> {
          try {
            Result put = etcd(Testbed.CLIENT, host, "/v3/kv/put", body);
            return put.succeeded() && put.stdout().contains("\"revision\"");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  /** {@code key}'s value in {@code host}'s own copy (a serializable read), or null. */
  private static String localValue(String host, String key) {
    try {
      String body =
          JSON.createObjectNode().put("key", base64(key)).put("serializable", true).toString();
      JsonNode kvs = JSON.readTree(etcd(Testbed.CLIENT, host, "/v3/kv/range", body).stdout());
      JsonNode first = kvs.path("kvs").path(0).path("value");
      return first.isMissingNode()
          ? null
          : new String(Base64.getDecoder().decode(first.asText()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The live processes (zombies aside) of the PID namespace {@code pidNamespace} names. */
  private static List<Long> processesIn(Path pidNamespace) {
    return ProcessHandle.allProcesses()
        .filter(p -> Processes.isAlive(p.pid()))
        .filter(p -> pidNamespace.equals(pidNamespaceOf(p.pid())))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static Path pidNamespaceOf(long pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid"));
    } catch (IOException gone) {
      return null;
    }
  }

  private static void startIfKilled(String host) throws IOException, InterruptedException {
    if (!testbed.isRunning(host)) {
      testbed.start(host);
    }
  }
}
