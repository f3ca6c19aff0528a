package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.RuntimeApps;
import dev.cryo.testkit.S3Proxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of real JVMs kept in a remote repository on a real S3 API server (s3proxy), through
 * the real CLI: round trips, deduplication, encryption at rest, integrity, faults and prune.
 */
class RemoteRepositoryIT extends RealProcessTest {
  private static final String MARKER = "cryo-marker-7c1e93-the-password-is-swordfish";

  @TempDir static Path serverDir;
  static S3Proxy s3;

  String remote;
  Path keyFile;
  CryoCli remoteCli;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Proxy.startIn(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
  }

  @BeforeEach
  void createRepository() throws Exception {
    if (!s3.isRunning()) {
      s3.start();
    }
    remote = "s3://cryo-it/" + tmp.getFileName();
    keyFile = tmp.resolve("repository.key");
    remoteCli = cryo.withEnvironment(s3.environment());
    remoteCli.run("repo", "init", remote, "--key", keyFile.toString()).assertOk();
  }

  private CryoCli.Result remote(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(arguments));
    command.addAll(List.of("--key", keyFile.toString()));
    return remoteCli.run(command.toArray(String[]::new));
  }

  @Test
  void aJvmPushedAndDeletedLocallyComesBackFromTheRepositoryWithItsState() throws Exception {
    CounterClient server = counterServerCountedTo(3);
    checkpoint(server, "counter");
    awaitEnded(server);

    remote("push", "counter", remote).assertOk();
    cryo.run("delete", "counter").assertOk();
    long pid = Long.parseLong(remote("restore", remote + "/counter").assertOk().firstLine());
    processes.track(pid);

    assertThat(pid).as("restored PID").isEqualTo(server.pid());
    assertThat(server.count()).as("counter after a restore from the repository").isEqualTo(3);
    assertThat(server.increment()).isEqualTo(4);
  }

  @Test
  void nothingTheServerStoresHoldsTheProgramsMemoryInTheClear() throws Exception {
    CounterClient server = counterServerCountedTo(1);
    assertThat(server.text("/remember/" + MARKER)).contains(MARKER);
    checkpoint(server, "secret");
    Path pages = onlyPagesImage(cryo.imagesDir(checkpointId("secret")));
    byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    assertThat(containsAny(Files.readAllBytes(pages), List.of(marker)))
        .as("the control: the local page image holds the marker")
        .isTrue();

    remote("push", "secret", remote).assertOk();

    List<byte[]> needles = new ArrayList<>(List.of(marker));
    needles.addAll(distinctivePieces(Files.readAllBytes(pages), 16));
    List<Path> stored = storedObjects();
    assertThat(stored).as("objects on the server").isNotEmpty();
    for (Path object : stored) {
      assertThat(containsAny(Files.readAllBytes(object), needles))
          .as("%s holds the marker or bytes of a page in the clear", object)
          .isFalse();
    }
  }

  @Test
  void aSecondCheckpointOfTheIdleProgramUploadsLessThanAQuarterOfTheFirst() throws Exception {
    // Without the runtime, so that nothing runs a collection for the checkpoint; and the two
    // checkpoints one after the other: an idle JVM still writes to some of its pages over time.
    CounterClient server = counterServerCountedTo(2);
    checkpoint(server, "first", "--leave-running");
    checkpoint(server, "second", "--leave-running");

    long before = storedBytes();
    remote("push", "first", remote).assertOk();
    long first = storedBytes() - before;
    before = storedBytes();
    remote("push", "second", remote).assertOk();
    long second = storedBytes() - before;

    assertThat(second)
        .as("bytes the second push stored on the server, against %d for the first", first)
        .isLessThan(first / 4);
  }

  @Test
  void aFlippedByteInAnyStoredObjectStopsTheRestoreBeforeCriuAndDeletesNothing() throws Exception {
    CounterClient server = counterServerCountedTo(5);
    String id = checkpoint(server, "flip");
    awaitEnded(server);
    remote("push", "flip", remote).assertOk();
    cryo.run("delete", "flip").assertOk();
    Path prefix = prefix();
    List<Path> objects =
        List.of(
            files(prefix.resolve("packs")).get(0),
            prefix.resolve("checkpoints").resolve(id),
            prefix.resolve("config"));

    for (Path object : objects) {
      List<Path> before = storedObjects();
      int offset =
          object.endsWith("config") ? settingsOffset(object) : (int) Files.size(object) / 2;
      byte[] original = flipABit(object, offset);

      CryoCli.Result result = remote("restore", remote + "/flip");

      assertThat(result.exitCode())
          .as(result.describe("exit 4 for a damaged " + object))
          .isEqualTo(4);
      assertThat(result.stderr()).as(result.describe("names the damage")).contains("damaged");
      assertThat(cryo.run("list").assertOk().stdout())
          .as("local checkpoints after a refused restore")
          .doesNotContain("flip");
      assertThat(storedObjects()).as("objects on the server after " + object).isEqualTo(before);
      Files.write(object, original);
    }
    assertThat(remote("list", remote).assertOk().stdout()).contains("flip");
    long pid = Long.parseLong(remote("restore", remote + "/flip").assertOk().firstLine());
    processes.track(pid);
    assertThat(server.count()).as("counter once every object is whole again").isEqualTo(5);
  }

  @Test
  void aKeyOfAnotherRepositoryIsRefusedWithItsOwnExitCode() throws Exception {
    Path otherKey = tmp.resolve("other.key");
    remoteCli.run("repo", "init", remote + "-other", "--key", otherKey.toString()).assertOk();

    CryoCli.Result result = remoteCli.run("list", remote, "--key", otherKey.toString());

    assertOneLineError(result, 15, "belongs to another repository");
  }

  @Test
  void wrongCredentialsAndAMissingBucketEachGetTheirOwnExitCode() throws Exception {
    CryoCli wrongSecret =
        cryo.withEnvironment(s3.environment())
            .withEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"));
    assertOneLineError(
        wrongSecret.run("list", remote, "--key", keyFile.toString()), 13, "credentials");
    assertThat(wrongSecret.run("list", remote, "--key", keyFile.toString()).stderr())
        .as("the secret never appears in a message")
        .doesNotContain("not-the-secret");

    assertOneLineError(remote("list", "s3://no-such-bucket-cryo/x"), 14, "no-such-bucket-cryo");
  }

  @Test
  void aPushCutOffByTheServerStoppingListsNothingAndARerunSendsOnlyWhatIsMissing()
      throws Exception {
    CounterClient server =
        processes.startService(
            "heap",
            processes.javaBinary(),
            List.of("-Xmx512m", "-cp", RuntimeApps.EXAMPLES.toString()),
            List.of("dev.cryo.testprograms.HeapServer", "PORT", "192"),
            "/count");
    checkpoint(server, "big", "--leave-running");
    Process push = remoteCli.start("push", "big", remote, "--key", keyFile.toString());
    Path packs = prefix().resolve("packs");
    awaitPackFiles(packs, 2, push);
    s3.stop();
    assertThat(push.waitFor()).as("exit code of a push whose server went away").isEqualTo(12);
    s3.start();

    assertThat(remote("list", remote).assertOk().stdout())
        .as("checkpoints listed after a push cut off")
        .doesNotContain("big");
    List<Path> packsBefore = files(packs);
    CryoCli.Result rerun = remote("push", "big", remote).assertOk();

    int[] sent = chunksSent(rerun.stderr());
    assertThat(sent[0])
        .as(rerun.describe("chunks the rerun sent, fewer than all " + sent[1]))
        .isLessThan(sent[1]);
    assertThat(files(packs))
        .as("packs after the rerun: those stored before the cut are used, not sent again")
        .containsAll(packsBefore);
    assertThat(remote("list", remote).assertOk().stdout()).contains("big");
  }

  @Test
  void pruneAfterADeleteFreesOnlyTheDeletedCheckpointsPacksAndTheOthersStillRestore()
      throws Exception {
    CounterClient kept = counterServerCountedTo(7);
    checkpoint(kept, "kept");
    awaitEnded(kept);
    remote("push", "kept", remote).assertOk();
    Path packs = prefix().resolve("packs");
    List<Path> keptPacks = files(packs);
    CounterClient other =
        processes.startService(
            "heap",
            processes.javaBinary(),
            List.of("-Xmx256m", "-cp", RuntimeApps.EXAMPLES.toString()),
            List.of("dev.cryo.testprograms.HeapServer", "PORT", "16"),
            "/count");
    checkpoint(other, "dropped");
    awaitEnded(other);
    remote("push", "dropped", remote).assertOk();
    assertThat(files(packs).size())
        .as("packs after a second program's push")
        .isGreaterThan(keptPacks.size());

    remote("delete", "dropped", remote).assertOk();
    remote("prune", remote).assertOk();

    assertThat(files(packs)).as("packs after the prune").isEqualTo(keptPacks);
    cryo.run("delete", "kept").assertOk();
    long pid = Long.parseLong(remote("restore", remote + "/kept").assertOk().firstLine());
    processes.track(pid);
    assertThat(kept.count()).as("the kept checkpoint's counter").isEqualTo(7);
  }

  // --- helpers ---

  private String checkpointId(String name) throws Exception {
    for (String line : cryo.run("list").assertOk().stdout().split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length > 1 && fields[1].equals(name)) {
        return fields[0];
      }
    }
    throw new AssertionError("no checkpoint named " + name);
  }

  private static Path onlyPagesImage(Path images) throws IOException {
    try (Stream<Path> files = Files.list(images)) {
      return files
          .filter(p -> p.getFileName().toString().matches("pages-\\d+\\.img"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no pages image in " + images));
    }
  }

  /** Stretches of 64 bytes of a page image that could not turn up by chance elsewhere. */
  private static List<byte[]> distinctivePieces(byte[] pages, int count) {
    List<byte[]> pieces = new ArrayList<>();
    for (int at = 0; at + 64 <= pages.length && pieces.size() < count; at += 4096 * 7 + 64) {
      byte[] piece = Arrays.copyOfRange(pages, at, at + 64);
      if (IntStream.range(0, 64).map(i -> piece[i]).distinct().count() >= 24) {
        pieces.add(piece);
      }
    }
    assertThat(pieces).as("distinctive stretches found in the page image").isNotEmpty();
    return pieces;
  }

  private static boolean containsAny(byte[] haystack, List<byte[]> needles) {
    for (byte[] needle : needles) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        if (haystack[i] != needle[0]) {
          continue;
        }
        for (int j = 1; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }

  private List<Path> storedObjects() throws IOException {
    try (Stream<Path> all = Files.walk(s3.dataDirectory())) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private long storedBytes() throws IOException {
    long total = 0;
    for (Path p : storedObjects()) {
      total += Files.size(p);
    }
    return total;
  }

  /** Where the repository's objects lie in the server's directory. */
  private Path prefix() {
    return s3.dataDirectory().resolve("cryo-it").resolve(tmp.getFileName().toString());
  }

  /** Where the sealed settings sit in the repository's config: damage there is not a wrong key. */
  private static int settingsOffset(Path config) throws IOException {
    String text = Files.readString(config);
    int at = text.indexOf("\"settings\"");
    assertThat(at).as("settings in " + text).isPositive();
    return text.indexOf(':', at) + 20;
  }

  /**
   * The packs stored under {@code dir}, in order; the files the server is still writing are not
   * packs yet.
   */
  private static List<Path> files(Path dir) throws IOException {
    while (true) {
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> all = Files.walk(dir)) {
        return all.filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}"))
            .filter(Files::isRegularFile)
            .sorted()
            .toList();
      } catch (UncheckedIOException e) {
        // A file the server renamed while it was listed: list again.
      }
    }
  }

  private static void awaitPackFiles(Path packs, int atLeast, Process push) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (files(packs).size() < atLeast) {
      assertThat(push.isAlive())
          .as("the push still runs before %d packs are stored", atLeast)
          .isTrue();
      assertThat(Instant.now()).as("time waiting for %d packs", atLeast).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private static int[] chunksSent(String stderr) {
    var m = Pattern.compile("\\((\\d+) chunks of (\\d+) were new").matcher(stderr);
    assertThat(m.find()).isTrue();
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }
}
