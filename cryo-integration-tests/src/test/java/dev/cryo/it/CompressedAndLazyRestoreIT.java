package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The two ways of trading restore work: memory stored compressed, and memory read in lazily. */
class CompressedAndLazyRestoreIT extends RealProcessTest {
  private Path imagesOf(String id) {
    return cryo.store().resolve("checkpoints").resolve(id).resolve("images");
  }

  /** Waits until no lazy-pages daemon serves the images of checkpoint {@code id}. */
  private void awaitNoLazyPagesDaemonFor(String id, String what, Duration timeout)
      throws InterruptedException {
    String images = imagesOf(id).toString();
    Processes.awaitTrue(
        what,
        timeout,
        () ->
            ProcessHandle.allProcesses()
                .noneMatch(
                    p ->
                        p.info()
                            .arguments()
                            .map(
                                a ->
                                    List.of(a).contains("lazy-pages")
                                        && List.of(a).contains(images))
                            .orElse(false)));
  }

  private static List<String> fileNames(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aCompressedCheckpointStoresItsMemoryAsZstdAndRestoresWithItsState() throws Exception {
    CounterClient server = counterServerCountedTo(2);

    CryoCli.Result checkpoint =
        cryo.run("checkpoint", Long.toString(server.pid()), "--name", "small", "--compress")
            .assertOk();
    assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(checkpoint.stderr())
        .as("the summary gives both sizes")
        .contains("memory compressed from");
    List<String> files = fileNames(imagesOf(checkpoint.firstLine()));
    assertThat(files)
        .as("page images are stored compressed, nothing else is")
        .anyMatch(f -> f.matches("pages-\\d+\\.img\\.zst"))
        .noneMatch(f -> f.matches("pages-\\d+\\.img"))
        .contains("inventory.img");
    assertThat(cryo.run("verify", "small").assertOk().stdout()).contains("intact");

    long pid = restore("small");

    assertThat(pid).isEqualTo(server.pid());
    assertThat(server.count()).as("counter after restoring the compressed checkpoint").isEqualTo(2);
    assertThat(server.increment()).isEqualTo(3);
    try (Stream<Path> staging = Files.list(cryo.store().resolve(".staging"))) {
      assertThat(staging.map(Path::getFileName).map(Path::toString))
          .as("the expanded copy is gone once CRIU has read it")
          .noneMatch(n -> n.startsWith("restore-"));
    }
  }

  @Test
  void aCompressedCheckpointWithLeaveRunningIsCompressedAfterTheProcessGoesOn() throws Exception {
    CounterClient server = counterServerCountedTo(1);

    checkpoint(server, "live", "--compress", "--leave-running");

    assertThat(server.increment()).as("the original serves on").isEqualTo(2);
    server.process().destroyForcibly();
    awaitEnded(server);
    restore("live");
    assertThat(server.count()).as("the state at the checkpoint").isEqualTo(1);
  }

  @Test
  void aLazyPagesRestoreServesTheCheckpointedStateAndItsDaemonEndsByItself() throws Exception {
    CounterClient server = counterServerCountedTo(5);
    String id = checkpoint(server, "lazy");
    awaitEnded(server);

    restore("lazy", "--lazy-pages");

    assertThat(server.count()).as("counter after a lazy restore").isEqualTo(5);
    assertThat(server.increment()).isEqualTo(6);
    awaitNoLazyPagesDaemonFor(
        id, "the lazy-pages daemon to end once every page is in", Duration.ofSeconds(60));
    assertThat(server.increment()).as("serving after the daemon has gone").isEqualTo(7);
  }

  @Test
  void aLazyRestoreWhosePagesDoNotMatchIsStoppedAndReportedWhileTheCheckpointIsKept()
      throws Exception {
    CounterClient server = counterServerCountedTo(1);
    String id = checkpoint(server, "damaged");
    awaitEnded(server);
    Path pages;
    try (Stream<Path> files = Files.list(imagesOf(id))) {
      pages =
          files
              .filter(f -> f.getFileName().toString().matches("pages-\\d+\\.img"))
              .findFirst()
              .orElseThrow();
    }
    flipABit(pages, (int) (Files.size(pages) / 2));
    processes.track(server.pid());

    CryoCli.Result restore = cryo.run("restore", "damaged", "--lazy-pages");

    assertOneLineError(restore, 4, "does not match its CRC32C", "it was stopped", "left in place");
    Processes.awaitTrue(
        "the lazily restored process to be stopped",
        Duration.ofSeconds(30),
        () -> ProcessHandle.of(server.pid()).map(p -> !p.isAlive()).orElse(true));
    awaitNoLazyPagesDaemonFor(id, "its lazy-pages daemon to be gone", Duration.ofSeconds(30));
    assertThat(cryo.run("list").assertOk().stdout())
        .as("the checkpoint stays, for inspection")
        .contains(id);
  }

  @Test
  void lazyPagesOfACompressedCheckpointAreRefusedAndTheCheckpointIsKept() throws Exception {
    CounterClient server = counterServerCountedTo(1);
    checkpoint(server, "both", "--compress");
    awaitEnded(server);

    CryoCli.Result refused = cryo.run("restore", "both", "--lazy-pages");

    assertOneLineError(refused, 2, "compressed", "without --lazy-pages");
    assertThat(cryo.run("verify", "both").assertOk().stdout()).contains("intact");
    restore("both");
    assertThat(server.count()).isEqualTo(1);
  }
}
