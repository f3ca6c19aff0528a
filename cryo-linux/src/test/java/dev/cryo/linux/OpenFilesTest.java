package dev.cryo.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFilesTest {

  @Test
  void readsTheInodeOfASocketLinkOnly() {
    assertThat(OpenFiles.socketInode("socket:[4242]")).hasValue(4242);
    assertThat(OpenFiles.socketInode("pipe:[4242]")).isEmpty();
    assertThat(OpenFiles.socketInode("/tmp/socket:[1]")).isEmpty();
    assertThat(OpenFiles.socketInode("socket:[x]")).isEmpty();
  }

  @Test
  void listsWhatThisJvmHasOpenByDescriptor(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("open me"), "x").toRealPath();
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      assertThat(OpenFiles.self()).containsValue(file.toString());
      assertThat(OpenFiles.of(ProcessHandle.current().pid())).containsValue(file.toString());
    }
    assertThat(OpenFiles.of(Integer.MAX_VALUE)).as("no process has this PID").isEmpty();
    assertThat(OpenFiles.socketInodes(List.of(Integer.MAX_VALUE))).isEmpty();
  }
}
