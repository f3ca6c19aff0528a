package dev.cryo.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.images.JsonMappers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's events, one JSON object per line, appended by the supervisor and by {@code cryo} commands
 * that act on the run. Appends of one short line each do not interleave, and a line cut short by a
 * crash is skipped when reading.
 */
public final class EventLog {
  private static final ObjectMapper JSON = JsonMappers.lines();
  private final Path file;

  EventLog(Path file) {
    this.file = file;
  }

  /**
   * Appends an event. A full disk must not stop the supervisor: the event then goes to its own log
   * (stderr) only.
   */
  public Event append(String type, String message, String checkpoint) {
    Event event = new Event(Instant.now().toString(), type, message, checkpoint);
    try {
      byte[] line = (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(
          file,
          line,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      System.err.println(
          "cryo: could not record event (" + e.getMessage() + "): " + type + ": " + message);
    }
    return event;
  }

  public Event append(String type, String message) {
    return append(type, message, null);
  }

  /** Every event recorded, oldest first. */
  public List<Event> read() throws IOException {
    List<Event> events = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return events;
    }
    for (String line : lines) {
      try {
        events.add(JSON.readValue(line, Event.class));
      } catch (IOException cutShort) {
        // The last line of a crashed writer.
      }
    }
    return events;
  }
}
