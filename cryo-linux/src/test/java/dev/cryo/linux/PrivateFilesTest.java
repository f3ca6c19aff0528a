package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @Test
  void createsDirectoriesAndFilesOnlyTheirOwnerCanUse(@TempDir Path dir) throws Exception {
    Path nested = PrivateFiles.createDirectories(dir.resolve("a/b"));
    PrivateFiles.write(nested.resolve("f"), "secret".getBytes(StandardCharsets.UTF_8));
    Path created = Files.createFile(dir.resolve("g"), PrivateFiles.fileAttribute());

    assertThat(Files.getPosixFilePermissions(dir.resolve("a"))).isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(nested)).isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(nested.resolve("f"))).isEqualTo(PrivateFiles.FILE);
    assertThat(Files.readString(nested.resolve("f"))).isEqualTo("secret");
    assertThat(Files.getPosixFilePermissions(created))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void restrictsATreeAndDeletesIt(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(root.resolve("f"), "x");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));

    PrivateFiles.restrict(dir.resolve("tree"));
    assertThat(Files.getPosixFilePermissions(root)).isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(root.resolve("f"))).isEqualTo(PrivateFiles.FILE);

    PrivateFiles.deleteTree(dir.resolve("tree"));
    assertThat(dir.resolve("tree")).doesNotExist();
    PrivateFiles.deleteTree(dir.resolve("tree"));
  }

  @Test
  void makesAnExistingDirectoryPrivate(@TempDir Path dir) throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
    PrivateFiles.privateDirectory(shared);
    assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PrivateFiles.DIRECTORY);
  }
}
