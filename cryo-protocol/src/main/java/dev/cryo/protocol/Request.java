package dev.cryo.protocol;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message cryo sends to a process, one per connection: {@code pending} before the dump, and
 * afterwards how the checkpoint ended. Each knows its line on the wire, and {@link #decode} reads
 * one back as the process receives it.
 */
public sealed interface Request {
  /** How long a process may prepare when {@code pending} does not say. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The checkpoint's id, which the process echoes. */
  String id();

  Phase phase();

  /** The fields this request carries after its phase and id, in the order they are written. */
  default void putFields(Map<String, Object> fields) {}

  /** The message as one JSON line, without its newline. */
  default String line() {
    Map<String, Object> fields = Messages.fields(phase(), id());
    putFields(fields);
    return JsonLine.write(fields);
  }

  /**
   * Reads a request. Throws {@link IllegalArgumentException} with what a process answers in an
   * {@code error} line: the line is not JSON, it has no {@code id}, or its phase is not a
   * request's.
   */
  static Request decode(String line) {
    Map<String, Object> fields = JsonLine.parse(line);
    Object phase = fields.get("phase");
    if (!(fields.get("id") instanceof String id) || id.isBlank()) {
      throw new IllegalArgumentException("every message needs a string 'id'");
    }
    switch (Phase.ofWireName(phase).orElse(Phase.ERROR)) {
      case PENDING -> {
        long timeoutMillis =
            fields.get("timeout_ms") instanceof Long t && t > 0 ? t : DEFAULT_TIMEOUT.toMillis();
        long checkpointerPid = fields.get("coordinator_pid") instanceof Long p ? p : -1;
        return new Pending(id, Duration.ofMillis(timeoutMillis), checkpointerPid);
      }
      case RESUMED -> {
        return new Resumed(id);
      }
      case RESTORED -> {
        Map<String, String> properties = new LinkedHashMap<>();
        if (fields.get("properties") instanceof Map<?, ?> given) {
          given.forEach(
              (key, value) -> {
                if (value != null) {
                  properties.put(String.valueOf(key), String.valueOf(value));
                }
              });
        }
        String controlDir =
            fields.get("control_dir") instanceof String dir && !dir.isBlank() ? dir : null;
        return new Restored(id, properties, controlDir);
      }
      case ABORTED -> {
        return new Aborted(id, fields.get("reason") instanceof String reason ? reason : null);
      }
      // A reply's phase, or none the protocol knows.
      default ->
          throw new IllegalArgumentException(
              "unknown phase " + phase + "; expected pending, resumed, restored or aborted");
    }
  }

  /**
   * A checkpoint is about to be taken: get ready within {@code timeout}.
   *
   * @param checkpointerPid the PID, as /proc shows it, of the cryo process that takes the
   *     checkpoint (on the wire {@code coordinator_pid}); -1 when not given
   */
  record Pending(String id, Duration timeout, long checkpointerPid) implements Request {
    @Override
    public Phase phase() {
      return Phase.PENDING;
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      fields.put("timeout_ms", timeout.toMillis());
      fields.put("coordinator_pid", checkpointerPid);
    }
  }

  /** How a checkpoint ended, which a process that answered ready is told. */
  sealed interface Outcome extends Request {}

  /** The checkpoint was taken and this, the original process, goes on. */
  record Resumed(String id) implements Outcome {
    @Override
    public Phase phase() {
      return Phase.RESUMED;
    }
  }

  /**
   * This process was restored from the checkpoint.
   *
   * @param properties configuration the restored process takes before it resumes its work
   * @param controlDir the directory to move the control socket to, or null to leave it
   */
  record Restored(String id, Map<String, String> properties, String controlDir) implements Outcome {
    public Restored {
      properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    @Override
    public Phase phase() {
      return Phase.RESTORED;
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      if (!properties.isEmpty()) {
        fields.put("properties", properties);
      }
      if (controlDir != null) {
        fields.put("control_dir", controlDir);
      }
    }
  }

  /**
   * After ready, the checkpoint failed and no image was kept.
   *
   * @param reason why, or null when not given
   */
  record Aborted(String id, String reason) implements Outcome {
    @Override
    public Phase phase() {
      return Phase.ABORTED;
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      if (reason != null) {
        fields.put("reason", reason);
      }
    }
  }
}
