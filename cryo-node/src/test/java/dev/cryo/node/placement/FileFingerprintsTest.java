package dev.cryo.node.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cryo.linux.HostFacts;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFingerprintsTest {
  /** SHA-256 of "abc", from FIPS 180-2. */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path dir;
  private final FileFingerprints fingerprints = new FileFingerprints();

  @Test
  void fingerprintIsTheSha256OfTheContentInHex() throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");
    assertThat(fingerprints.sha256(file)).as("SHA-256 of 'abc'").isEqualTo(ABC);
  }

  @Test
  void anUnchangedFileIsReadOnce() throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");
    fingerprints.sha256(file);
    fingerprints.sha256(file);
    assertThat(fingerprints.filesRead()).as("reads of a file that did not change").isEqualTo(1);
  }

  @Test
  void aRewrittenFileIsHashedAgain() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "abc");
    FileTime modified = Files.getLastModifiedTime(file);
    fingerprints.sha256(file);
    Files.writeString(file, "abd");
    Files.setLastModifiedTime(file, modified);
    assertThat(fingerprints.sha256(file))
        .as("a file rewritten in place with its size and modification time kept")
        .isNotEqualTo(ABC);
  }

  @Test
  void anotherFileRenamedOverThePathWithEqualSizeAndTimeIsHashedAgain() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "abc");
    fingerprints.sha256(file);
    Path other = Files.writeString(dir.resolve("other"), "xyz");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
    Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
    assertThat(fingerprints.sha256(file))
        .as("another inode at the same path, same size and modification time")
        .isNotEqualTo(ABC);
  }

  @Test
  void aBindMountOverThePathIsHashedAgain() throws Exception {
    assumeTrue(HostFacts.isRoot(), "bind mounts need root");
    Path file = Files.writeString(dir.resolve("f"), "abc");
    Path other = Files.writeString(dir.resolve("other"), "xyz");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
    fingerprints.sha256(file);
    run("mount", "--bind", other.toString(), file.toString());
    try {
      assertThat(fingerprints.sha256(file))
          .as("the file bind-mounted over the path")
          .isNotEqualTo(ABC);
    } finally {
      run("umount", file.toString());
    }
  }

  @Test
  void aMissingFileHasNoFingerprint() {
    assertThatThrownBy(() -> fingerprints.sha256(dir.resolve("absent")))
        .as("fingerprint of a file that is not there")
        .isInstanceOf(NoSuchFileException.class);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
  }
}
