package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.images.ImageStore;
import dev.cryo.supervisor.Event;
import dev.cryo.testkit.CounterClient;
import dev.cryo.testkit.Processes;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** When the newest checkpoint is corrupt, the automatic restore falls back to the one before. */
class CheckpointFallbackIT extends SupervisedRunTest {
  @Test
  void aCorruptNewestCheckpointIsSkippedAndTheOneBeforeRestored() throws Exception {
    int port = Processes.freePort();
    run("layered", List.of("--every", "1h"), participantService(port));
    CounterClient service = awaitServing(port, Duration.ofSeconds(60));
    service.increment();
    String older = cryo.run("checkpoint", "layered").assertOk().firstLine();
    service.increment();
    String newer = cryo.run("checkpoint", "layered").assertOk().firstLine();
    corruptPages(newer);

    long restored = count("layered", "restored");
    Processes.killAndWait(state("layered").mainPid());
    Event back = awaitEvent("layered", "restored", restored, Duration.ofSeconds(90));

    assertThat(back.checkpoint())
        .as("restored from the checkpoint before the corrupt one")
        .isEqualTo(older);
    assertThat(events("layered"))
        .as("an event says why the newest was skipped")
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("skipped");
              assertThat(e.checkpoint()).isEqualTo(newer);
              assertThat(e.message())
                  .contains("corrupt")
                  .contains("does not match its CRC32C")
                  .contains("trying the one before, " + older);
            });
    assertThat(cryo.run("events", "layered").assertOk().stdout())
        .contains("skipped")
        .contains(newer);
    assertThat(service.count()).as("the state of the older checkpoint").isEqualTo(1);
  }

  private void corruptPages(String checkpointId) throws Exception {
    Path images = ImageStore.openForReading(cryo.store()).resolve(checkpointId).imagesDir();
    Path pages;
    try (Stream<Path> files = Files.list(images)) {
      pages =
          files
              .filter(p -> p.getFileName().toString().startsWith("pages-"))
              .findFirst()
              .orElseThrow();
    }
    try (RandomAccessFile file = new RandomAccessFile(pages.toFile(), "rw")) {
      file.seek(file.length() / 2);
      int b = file.read();
      file.seek(file.length() / 2);
      file.write(b ^ 0xff);
    }
  }
}
