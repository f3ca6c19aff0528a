package dev.cryo.checkpoint;

import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The standbys that {@code cryo restore --prepare} left for a later command to resume: one file per
 * checkpoint in the store's {@code standbys} directory (0700, files 0600), naming the standby's
 * root by its PID and its start time, so that a PID used again by another process is never taken
 * for it.
 */
public final class StandbyRecords {
  private final Path dir;

  private StandbyRecords(Path dir) {
    this.dir = dir;
  }

  public static StandbyRecords of(ImageStore store) {
    return new StandbyRecords(store.root().resolve("standbys"));
  }

  /**
   * A standby as recorded.
   *
   * @param properties the system properties its participants get when it is resumed
   * @param parkedSockets as {@link Standby#parkedSockets}
   */
  public record StandbyRecord(
      String checkpointId,
      String checkpointLabel,
      int pid,
      long startMillis,
      Instant preparedAt,
      Map<String, String> properties,
      Map<Path, Path> parkedSockets) {
    /** Whether its root is still the process that was prepared, stopped, and not ended. */
    public boolean exists() {
      return startOf(pid).map(start -> start == startMillis).orElse(false);
    }

    /** The standby, found again, to resume or discard. */
    public Standby standby(StoredCheckpoint checkpoint, Consumer<String> notices) {
      return Standby.adopt(
          pid,
          checkpoint,
          new RestoreOptions(properties, null, false, Map.of(), false),
          parkedSockets,
          notices);
    }
  }

  /** Records a verified standby of its checkpoint, prepared with {@code properties}. */
  public StandbyRecord save(Standby standby, Map<String, String> properties) throws IOException {
    StandbyRecord record =
        new StandbyRecord(
            standby.checkpoint().id(),
            standby.checkpoint().label(),
            standby.pid(),
            startOf(standby.pid()).orElse(0L),
            Instant.now(),
            properties,
            standby.parkedSockets());
    Properties p = new Properties();
    p.setProperty("checkpoint", record.checkpointId());
    p.setProperty("label", record.checkpointLabel());
    p.setProperty("pid", Integer.toString(record.pid()));
    p.setProperty("start", Long.toString(record.startMillis()));
    p.setProperty("prepared", record.preparedAt().toString());
    record.properties().forEach((k, v) -> p.setProperty("property." + k, v));
    int i = 0;
    for (Map.Entry<Path, Path> socket : record.parkedSockets().entrySet()) {
      p.setProperty("socket." + i + ".path", socket.getKey().toString());
      p.setProperty("socket." + i + ".parked", socket.getValue().toString());
      i++;
    }
    PrivateFiles.createDirectories(dir);
    Path temporary = dir.resolve(record.checkpointId() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary, PrivateFiles.fileAttribute());
    try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      p.store(out, "a standby prepared by cryo restore --prepare");
    }
    Files.move(temporary, file(record.checkpointId()), StandardCopyOption.ATOMIC_MOVE);
    return record;
  }

  /** The standby of checkpoint {@code checkpointId}, if one was recorded. */
  public Optional<StandbyRecord> find(String checkpointId) throws IOException {
    Path file = file(checkpointId);
    return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /** Every recorded standby, oldest first. */
  public List<StandbyRecord> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<StandbyRecord> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".standby")).toList()) {
        all.add(read(file));
      }
    }
    all.sort(Comparator.comparing(StandbyRecord::preparedAt));
    return all;
  }

  public void remove(String checkpointId) throws IOException {
    Files.deleteIfExists(file(checkpointId));
  }

  private Path file(String checkpointId) {
    return dir.resolve(checkpointId + ".standby");
  }

  private static StandbyRecord read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    try {
      Map<String, String> properties = new LinkedHashMap<>();
      Map<Path, Path> sockets = new LinkedHashMap<>();
      for (String key : p.stringPropertyNames()) {
        if (key.startsWith("property.")) {
          properties.put(key.substring("property.".length()), p.getProperty(key));
        }
      }
      for (int i = 0; p.getProperty("socket." + i + ".path") != null; i++) {
        sockets.put(
            Path.of(p.getProperty("socket." + i + ".path")),
            Path.of(p.getProperty("socket." + i + ".parked")));
      }
      return new StandbyRecord(
          p.getProperty("checkpoint"),
          p.getProperty("label"),
          Integer.parseInt(p.getProperty("pid")),
          Long.parseLong(p.getProperty("start")),
          Instant.parse(p.getProperty("prepared")),
          properties,
          sockets);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a standby record: " + e.getMessage(), e);
    }
  }

  /** When a process started, in milliseconds since the epoch, as the kernel says. */
  public static Optional<Long> startOf(int pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Instant::toEpochMilli);
  }
}
