package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Jdks;
import dev.cryo.testkit.RuntimeApps;
import dev.cryo.testkit.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A cluster of three hosts on the test bed ({@code scripts/testbed}): real etcd with mutual TLS,
 * s3proxy, CRIU, and {@code cryo node} on each host. Programs report the host that serves them
 * (each host has its own /etc/hostname in its mount namespace), so a client can tell who answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final Path CRYO = CryoCli.BIN.toAbsolutePath();
  private static final Path JAVA = Jdks.current();
  private static final Path PROGRAMS = RuntimeApps.EXAMPLES.toAbsolutePath();
  private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(90);
  private static final Pattern OWNER = Pattern.compile("(?m)^(\\S+)\\s+(cryo-[abc]|-)\\s+(\\S+)");

  private static Testbed testbed;
  private static Map<String, String> env;

  @BeforeAll
  static void up() throws Exception {
    testbed = new Testbed(Path.of("/tmp/cryo-testbed-it"));
    testbed.up(Testbed.UpOption.FRESH);
    env = testbed.env();
  }

  @AfterAll
  static void down() throws Exception {
    if (testbed != null) {
      testbed.down();
    }
  }

  @Test
  @Order(1)
  void aProgramSubmittedFromHostCRunsAtItsAddressAndPublishesCheckpoints() throws Exception {
    Testbed.Result run = submit("cryo-c", "counter", "198.18.1.10");
    assertThat(run.succeeded()).as(run.describe()).isTrue();
    assertThat(await("counter answers at 198.18.1.10", () -> get("198.18.1.10", "increment")))
        .isEqualTo("1");
    String owner = ownerOf("counter");
    assertThat(get("198.18.1.10", "host"))
        .as("the program reports its owner's host")
        .contains(owner);
    String published = awaitEvent("counter", "published");
    Matcher checkpoint = Pattern.compile("checkpoint (\\S+) is now").matcher(published);
    assertThat(checkpoint.find())
        .as("the published event names its checkpoint: %s", published)
        .isTrue();
    Testbed.Result list =
        cryo("cryo-b", "list", env.get("CRYO_REPOSITORY"), "--key", env.get("CRYO_REPOSITORY_KEY"));
    assertRepositoryHoldsOrSuperseded(checkpoint.group(1), list);

    Testbed.Result asked = cryo("cryo-b", "checkpoint", "counter", "--cluster");
    assertThat(asked.exitCode())
        .as("a checkpoint asked for from another host: " + asked.describe())
        .isZero();
    assertThat(asked.stderr()).contains("published as asked");
    Testbed.Result logs = cryo("cryo-b", "logs", "counter", "--cluster", "--stdout");
    assertThat(logs.stdout())
        .as("the program's output, from the node that runs it: " + logs.describe())
        .contains("ready 8080");
  }

  @Test
  @Order(2)
  void whenTheOwnersHostIsLostTheProgramAnswersFromAnotherHostWithItsCheckpointedState()
      throws Exception {
    String owner = ownerOf("counter");
    for (int i = 0; i < 4; i++) {
      get("198.18.1.10", "increment");
    }
    long count = Long.parseLong(get("198.18.1.10", "count").trim());
    awaitPublishedCheckpointTakenAfter("counter", Instant.now());

    testbed.kill(owner);
    try {
      String host = await("counter answers again", () -> get("198.18.1.10", "host"));
      assertThat(host).as("served by another host than the lost one").doesNotContain(owner);
      assertThat(Long.parseLong(get("198.18.1.10", "count").trim()))
          .as("the count of its newest checkpoint survived the loss of " + owner)
          .isEqualTo(count);
    } finally {
      testbed.start(owner);
    }
  }

  @Test
  @Order(3)
  void aPartitionedOwnerIsFencedAndTheClientNeverSeesTwoHostsAnswer() throws Exception {
    awaitLiveNodes(3);
    String owner = ownerOf("counter");
    List<String> answers = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean polling = new AtomicBoolean(true);
    Thread poller =
        new Thread(
            () -> {
              while (polling.get()) {
                try {
                  Testbed.Result r =
                      testbed.exec(
                          Testbed.CLIENT, "curl", "-s", "-m", "1", "http://198.18.1.10:8080/host");
                  if (r.succeeded() && !r.stdout().isBlank()) {
                    answers.add(r.stdout().trim());
                  }
                  Thread.sleep(100);
                } catch (Exception e) {
                  return;
                }
              }
            });
    poller.start();
    Instant cut = Instant.now();
    testbed.cut(owner);
    try {
      await(
          "another host answers for counter",
          () ->
              answers.isEmpty() || answers.get(answers.size() - 1).contains(owner)
                  ? null
                  : "moved");
    } finally {
      testbed.heal(owner);
    }
    Thread.sleep(10_000);
    polling.set(false);
    poller.join();

    int firstNew = -1;
    for (int i = 0; i < answers.size(); i++) {
      if (!answers.get(i).contains(owner)) {
        firstNew = i;
        break;
      }
    }
    assertThat(answers.subList(firstNew, answers.size()))
        .as(
            "once another host answered, the cut-off owner %s never answered again: %s",
            owner, answers)
        .noneMatch(a -> a.contains(owner));
    Testbed.Result ps = cryo(owner, "ps");
    assertThat(ps.stdout())
        .as("the old copy on %s was fenced: %s", owner, ps.describe())
        .containsPattern("counter.*fenced");
    String events =
        cryo("cryo-a".equals(owner) ? "cryo-b" : "cryo-a", "events", "counter", "--cluster")
            .stdout();
    assertThat(publishedBy(events, owner))
        .as("%s published no checkpoint after it was cut off: %s", owner, events)
        .allMatch(t -> t.isBefore(cut.plusSeconds(1)));
  }

  @Test
  @Order(4)
  void losingOneEtcdMemberDisturbsNothing() throws Exception {
    String owner = ownerOf("counter");
    String other = Testbed.HOSTS.stream().filter(h -> !h.equals(owner)).findFirst().orElseThrow();
    int placedBefore = count(cryo(owner, "events", "counter", "--cluster").stdout(), "placed");
    testbed.exec(other, "pkill", "-9", "-x", "etcd");
    try {
      for (int i = 0; i < 15; i++) {
        // A request may meet the program paused for a checkpoint: ask again.
        assertThat(await("counter answers", () -> get("198.18.1.10", "host")))
            .as("still served by %s", owner)
            .contains(owner);
        Thread.sleep(1000);
      }
      assertThat(count(cryo(owner, "events", "counter", "--cluster").stdout(), "placed"))
          .as("no new placement while one etcd member was down")
          .isEqualTo(placedBefore);
    } finally {
      testbed.kill(other);
      testbed.start(other);
    }
  }

  @Test
  @Order(5)
  void aNodeKilledAloneComesBackAndKeepsItsPrograms() throws Exception {
    awaitLiveNodes(3);
    String owner = ownerOf("counter");
    String pid = await("counter's PID", () -> get("198.18.1.10", "pid"));
    testbed.exec(owner, "pkill", "-9", "-f", "cryo.jar node --name");
    Testbed.Result restart = testbed.startNode(owner);
    assertThat(restart.succeeded()).as(restart.describe()).isTrue();
    Thread.sleep(8_000);
    assertThat(ownerOf("counter")).as("still owned by %s", owner).isEqualTo(owner);
    assertThat(await("counter's PID", () -> get("198.18.1.10", "pid")))
        .as("the same process still serves")
        .isEqualTo(pid);
  }

  @Test
  @Order(6)
  void aNodeWithAnotherJdkBuildIsNeverChosenAndWithNoneTheProgramWaitsSayingWhy() throws Exception {
    Path libjvm = JAVA.toRealPath().getParent().getParent().resolve("lib/server/libjvm.so");
    for (String host : List.of("cryo-b", "cryo-c")) {
      Testbed.Result mounted =
          testbed.exec(
              host,
              "sh",
              "-c",
              "cp "
                  + libjvm
                  + " /tmp/cryo-it-libjvm-"
                  + host
                  + ".so && printf x >> /tmp/cryo-it-libjvm-"
                  + host
                  + ".so && mount --bind /tmp/cryo-it-libjvm-"
                  + host
                  + ".so "
                  + libjvm);
      assertThat(mounted.succeeded()).as(mounted.describe()).isTrue();
    }
    try {
      assertThat(submit("cryo-a", "picky", "198.18.1.11").succeeded()).isTrue();
      await("picky answers", () -> get("198.18.1.11", "count"));
      assertThat(ownerOf("picky"))
          .as("only cryo-a has the JDK build picky needs")
          .isEqualTo("cryo-a");
      testbed.kill("cryo-a");
      String waiting = awaitEvent("picky", "waiting");
      assertThat(waiting).contains("cryo-b").contains("libjvm.so");
      assertThat(ownerOf("picky")).isEqualTo("-");
    } finally {
      for (String host : List.of("cryo-b", "cryo-c")) {
        testbed.exec(host, "umount", libjvm.toString());
      }
      if (!testbed.isRunning("cryo-a")) {
        testbed.start("cryo-a");
      }
    }
  }

  @Test
  @Order(7)
  void aClientWithoutACertificateOfTheClusterIsRefusedByEtcdAndByANode() throws Exception {
    Testbed.Result etcd =
        testbed.exec(
            Testbed.CLIENT,
            "curl",
            "-s",
            "-m",
            "5",
            "--cacert",
            env.get("CRYO_CLUSTER_CA"),
            "https://198.18.0.2:2379/v3/kv/range",
            "-d",
            "{\"key\":\"Lw==\"}");
    assertThat(etcd.succeeded())
        .as("etcd refuses a client without a certificate: " + etcd.describe())
        .isFalse();
    Testbed.Result node =
        testbed.exec(
            Testbed.CLIENT,
            "curl",
            "-s",
            "-m",
            "5",
            "--cacert",
            env.get("CRYO_CLUSTER_CA"),
            "https://198.18.0.2:7380/v1/programs/counter/logs");
    assertThat(node.succeeded())
        .as("a node refuses a client without a certificate: " + node.describe())
        .isFalse();
    Path other = Files.createTempDirectory("cryo-other-ca");
    String pki = other.resolve("pki").toString();
    Testbed.Result init = cryo("cryo-c", "cluster", "init", "--dir", pki);
    assertThat(init.succeeded()).as(init.describe()).isTrue();
    Testbed.Result issue = cryo("cryo-c", "cluster", "issue", "intruder", "--dir", pki);
    assertThat(issue.succeeded()).as(issue.describe()).isTrue();
    Testbed.Result intruder =
        cryo(
            "cryo-c",
            "ps",
            "--cluster",
            "--tls-cert",
            other.resolve("pki/intruder.pem").toString(),
            "--tls-key",
            other.resolve("pki/intruder-key.pem").toString());
    assertThat(intruder.exitCode())
        .as("a certificate of another CA is refused: " + intruder.describe())
        .isEqualTo(17);
  }

  @Test
  @Order(8)
  void badInputGetsOneLineAndItsExitCode() throws Exception {
    Testbed.Result unreachable =
        cryo("cryo-c", "ps", "--cluster", "--etcd", "https://198.18.0.99:2379");
    assertThat(unreachable.exitCode()).as(unreachable.describe()).isEqualTo(16);
    assertThat(unreachable.stderr().strip().lines().count())
        .as(unreachable.describe())
        .isEqualTo(1);

    Testbed.Result taken = submit("cryo-c", "copycat", "198.18.1.10");
    assertThat(taken.exitCode()).as(taken.describe()).isEqualTo(8);
    assertThat(taken.stderr()).contains("198.18.1.10").contains("counter");

    Testbed.Result unknown = cryo("cryo-c", "cluster", "status", "cryo-z");
    assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(3);

    Testbed.Result noRepository =
        cryo(
            "cryo-c",
            "node",
            "--tls-cert",
            testbed.pki().resolve("cryo-c.pem").toString(),
            "--tls-key",
            testbed.pki().resolve("cryo-c-key.pem").toString(),
            "--listen",
            "198.18.0.3:7381",
            "--remote",
            env.get("CRYO_REPOSITORY"),
            "--key",
            env.get("CRYO_REPOSITORY_KEY"),
            "--endpoint",
            "http://198.18.0.99:8080");
    assertThat(noRepository.exitCode()).as(noRepository.describe()).isEqualTo(12);
  }

  @Test
  @Order(9)
  void aProgramStoppedFromAnyHostEndsAndFreesItsAddress() throws Exception {
    Testbed.Result stop = cryo("cryo-b", "stop", "counter", "--cluster");
    assertThat(stop.exitCode()).as(stop.describe()).isZero();
    assertThat(get("198.18.1.10", "count")).as("nothing answers at its address").isNull();
    assertThat(cryo("cryo-c", "ps", "--cluster").stdout())
        .containsPattern("counter\\s+-\\s+stopped");
    Testbed.Result again = submit("cryo-c", "counter2", "198.18.1.10");
    assertThat(again.exitCode()).as("its address can be used again: " + again.describe()).isZero();
  }

  /**
   * The repository holds {@code published}, or only checkpoints taken after it: with a checkpoint
   * every two seconds, retention may drop it while the listing's command starts.
   */
  private static void assertRepositoryHoldsOrSuperseded(String published, Testbed.Result list) {
    List<String> ids =
        list.stdout()
            .lines()
            .skip(1)
            .map(l -> l.split("\\s+")[0])
            .filter(id -> !id.isEmpty())
            .toList();
    assertThat(ids).as("the repository lists checkpoints: " + list.describe()).isNotEmpty();
    if (!ids.contains(published)) {
      // Identifiers begin with the time they were taken (yyyyMMdd-HHmmss).
      String takenAt = published.substring(0, 15);
      assertThat(ids)
          .as(
              "the published checkpoint %s is missing, so only later ones may remain: %s",
              published, list.describe())
          .allMatch(id -> id.substring(0, 15).compareTo(takenAt) > 0);
    }
  }

  private static Testbed.Result submit(String host, String name, String address) throws Exception {
    return cryo(
        host,
        "run",
        "--cluster",
        "--name",
        name,
        "--address",
        address,
        "--every",
        "2s",
        "--",
        JAVA.toString(),
        "-Xmx64m",
        "-cp",
        PROGRAMS.toString(),
        "dev.cryo.testprograms.CounterServer",
        "8080",
        address);
  }

  private static Testbed.Result cryo(String host, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(CRYO.toString()));
    command.addAll(List.of(arguments));
    return testbed.exec(host, env, command.toArray(String[]::new));
  }

  /** GET http://ADDRESS:8080/PATH from the client namespace; null if nothing answers. */
  private static String get(String address, String path) throws Exception {
    Testbed.Result r =
        testbed.exec(
            Testbed.CLIENT, "curl", "-s", "-f", "-m", "2", "http://" + address + ":8080/" + path);
    return r.succeeded() ? r.stdout().trim() : null;
  }

  private static String ownerOf(String program) throws Exception {
    Testbed.Result ps = cryo("cryo-c", "ps", "--cluster");
    Matcher m = OWNER.matcher(ps.stdout());
    while (m.find()) {
      if (m.group(1).equals(program)) {
        return m.group(2);
      }
    }
    throw new AssertionError("no " + program + " in " + ps.describe());
  }

  private static String awaitEvent(String program, String type) throws Exception {
    return await(
        type + " event of " + program,
        () -> {
          try {
            return cryo("cryo-c", "events", program, "--cluster")
                .stdout()
                .lines()
                .filter(l -> isOfType(l, type))
                .reduce((a, b) -> b)
                .orElse(null);
          } catch (Exception e) {
            return null;
          }
        });
  }

  /**
   * Waits until a checkpoint taken after {@code after} is published: the one the program comes back
   * from holds everything done before {@code after}.
   */
  private static void awaitPublishedCheckpointTakenAfter(String program, Instant after)
      throws Exception {
    // Event times are shown to the second: a checkpoint in the next whole second is surely later.
    Instant later = after.plusSeconds(1);
    String taken =
        await(
            "a checkpoint of " + program + " after " + after,
            () ->
                cryo("cryo-c", "events", program, "--cluster")
                    .stdout()
                    .lines()
                    .filter(l -> isOfType(l, "checkpointed"))
                    .filter(l -> !Instant.parse(l.substring(0, l.indexOf(' '))).isBefore(later))
                    .findFirst()
                    .orElse(null));
    Matcher id = Pattern.compile("checkpoint (\\S+?):").matcher(taken);
    assertThat(id.find()).as("the event names its checkpoint: %s", taken).isTrue();
    await(
        "checkpoint " + id.group(1) + " published",
        () ->
            cryo("cryo-c", "events", program, "--cluster")
                .stdout()
                .lines()
                .filter(l -> isOfType(l, "published") && l.contains(id.group(1)))
                .findFirst()
                .orElse(null));
  }

  private static void awaitLiveNodes(int count) throws Exception {
    await(
        count + " live nodes",
        () -> {
          try {
            String status = cryo("cryo-c", "cluster", "status").stdout();
            return status.lines().filter(l -> l.matches("^cryo-[abc]\\*?\\s+live.*")).count()
                    == count
                ? status
                : null;
          } catch (Exception e) {
            return null;
          }
        });
  }

  private static List<Instant> publishedBy(String events, String node) {
    return events
        .lines()
        .filter(l -> l.matches("^\\S+\\s+" + node + "\\s+published\\s.*"))
        .map(l -> Instant.parse(l.substring(0, l.indexOf(' '))))
        .toList();
  }

  /** Whether an event line (TIME NODE TYPE MESSAGE) is of {@code type}. */
  private static boolean isOfType(String line, String type) {
    String[] columns = line.trim().split("\\s+", 4);
    return columns.length >= 3 && columns[2].equals(type);
  }

  private static int count(String events, String type) {
    return (int) events.lines().filter(l -> isOfType(l, type)).count();
  }

  /** Polls until {@code probe} gives a value; fails after {@link #FAILOVER_LIMIT}. */
  private static String await(String what, ThrowingSupplier probe) throws Exception {
    long deadline = System.nanoTime() + FAILOVER_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      String value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  @FunctionalInterface
  private interface ThrowingSupplier {
    String get() throws Exception;
  }
}
