package dev.cryo.node;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The node's {@link ProgramRecord}s, one small private file each under its state directory. */
final class ProgramRecords {
  private final Path dir;

  ProgramRecords(Path stateDir) throws IOException {
    this.dir = PrivateFiles.privateDirectory(stateDir.resolve("programs"));
  }

  Optional<ProgramRecord> get(String program) throws IOException {
    try {
      return Optional.of(
          ClusterJson.read(
              Files.readString(dir.resolve(program + ".json"), StandardCharsets.UTF_8),
              ProgramRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  void put(String program, ProgramRecord record) throws IOException {
    Path temporary = dir.resolve(program + ".json.tmp");
    PrivateFiles.write(temporary, ClusterJson.write(record).getBytes(StandardCharsets.UTF_8));
    Files.move(
        temporary,
        dir.resolve(program + ".json"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  void remove(String program) throws IOException {
    Files.deleteIfExists(dir.resolve(program + ".json"));
  }

  List<String> programs() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .forEach(n -> names.add(n.substring(0, n.length() - ".json".length())));
    }
    return names;
  }
}
