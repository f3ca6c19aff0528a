package dev.cryo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.testkit.CryoCli;
import dev.cryo.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A damaged checkpoint is found, refused, and never removed. */
class CorruptCheckpointIT extends RealProcessTest {
  private static final Pattern FILE_PATH = Pattern.compile("\"path\" : \"([^\"]+)\"");

  private Path checkpointDir;
  private long originalPid;

  @BeforeEach
  void checkpointASmallProcess() throws Exception {
    Process sleeper = processes.startDetached(tmp.resolve("sleeper.log"), "sleep", "600");
    Processes.awaitTrue(
        "sleep to start",
        Duration.ofSeconds(10),
        () ->
            LinuxProcess.of((int) sleeper.pid()).map(p -> p.name().equals("sleep")).orElse(false));
    String id =
        cryo.run("checkpoint", Long.toString(sleeper.pid()), "--name", "victim")
            .assertOk()
            .firstLine();
    assertThat(sleeper.waitFor(30, TimeUnit.SECONDS)).isTrue();
    originalPid = sleeper.pid();
    checkpointDir = cryo.store().resolve("checkpoints").resolve(id);
  }

  private List<String> manifestFiles() throws Exception {
    String manifest = cryo.run("inspect", "victim").assertOk().stdout();
    Matcher m = FILE_PATH.matcher(manifest);
    List<String> files = new ArrayList<>();
    while (m.find()) {
      files.add(m.group(1));
    }
    return files;
  }

  @Test
  void verifyFindsASingleFlippedByteInEveryImageFile() throws Exception {
    List<String> files = manifestFiles();
    assertThat(files)
        .as("files in the manifest")
        .anyMatch(f -> f.startsWith("images/pages-"))
        .anyMatch(f -> f.equals("images/inventory.img"));

    for (String file : files) {
      Path path = checkpointDir.resolve(file);
      byte[] original = Files.readAllBytes(path);
      byte[] damaged = original.clone();
      damaged[damaged.length / 2] ^= 0x10;
      Files.write(path, damaged);

      CryoCli.Result verify = cryo.run("verify", "victim");
      assertThat(verify.exitCode())
          .as(verify.describe("exit 4 after flipping a byte of " + file))
          .isEqualTo(4);
      assertThat(verify.stdout())
          .as("verify names the damaged file")
          .contains(file + " does not match its CRC32C");

      Files.write(path, original);
    }
    assertThat(cryo.run("verify", "victim").exitCode())
        .as("intact again once every byte is back")
        .isZero();
  }

  @Test
  void restoreRefusesACorruptCheckpointWithOneLineAndLeavesItInPlace() throws Exception {
    Path pages =
        Files.list(checkpointDir.resolve("images"))
            .filter(p -> p.getFileName().toString().startsWith("pages-"))
            .findFirst()
            .orElseThrow();
    byte[] original = flipABit(pages, 0);

    CryoCli.Result restore = cryo.run("restore", "victim");

    assertOneLineError(restore, 4, "does not match its CRC32C", "left in place");
    assertThat(restore.stderr()).startsWith("cryo: checkpoint victim is corrupt or incomplete");
    assertThat(checkpointDir).as("the corrupt checkpoint is kept").isDirectory();
    assertThat(cryo.run("list").stdout()).contains("victim");
    assertThat(Processes.isAlive(originalPid))
        .as(
            "nothing of it runs: CRIU restored it stopped while the images were checked, and it was"
                + " ended")
        .isFalse();

    Files.write(pages, original);
    long pid = restore("victim");
    assertThat(Processes.isAlive(pid)).as("the repaired checkpoint restores").isTrue();
  }

  @Test
  void restoreRefusesAnIncompleteCheckpoint() throws Exception {
    Path inventory = checkpointDir.resolve("images/inventory.img");
    Path aside = Files.move(inventory, tmp.resolve("inventory.img"));

    CryoCli.Result restore = cryo.run("restore", "victim");

    assertThat(restore.exitCode()).as(restore.describe("exit 4")).isEqualTo(4);
    assertThat(restore.stderrLines()).hasSize(1);
    assertThat(restore.stderr()).contains("images/inventory.img is missing");
    assertThat(checkpointDir.resolve("images"))
        .as("the rest of the checkpoint is kept")
        .isDirectory();
    assertThat(cryo.run("verify", "victim").exitCode()).isEqualTo(4);
    Files.move(aside, inventory);
    assertThat(cryo.run("verify", "victim").exitCode())
        .as("whole again once the file is back")
        .isZero();
  }
}
