package dev.cryo.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message a process sends back on a control connection: its answer to {@code pending} ({@code
 * ready} or {@code refused}), to how the checkpoint ended ({@code done}), or {@code error}. Each
 * knows its line on the wire, and {@link #decode} reads one back as cryo receives it.
 */
public sealed interface Reply {
  /** The value of the {@code phase} field, as the process sent it. */
  String phaseName();

  /** The checkpoint's id the process echoes; null for a reply that carries none. */
  default String id() {
    return null;
  }

  /** The fields this reply carries after its phase and id, in the order they are written. */
  default void putFields(Map<String, Object> fields) {}

  /** The message as one JSON line, without its newline. */
  default String line() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("phase", phaseName());
    if (id() != null) {
      fields.put("id", id());
    }
    putFields(fields);
    return JsonLine.write(fields);
  }

  /**
   * Reads a reply. A phase that is not a reply's is read as {@link Other}, for the reader to say
   * what it expected instead. Throws {@link IllegalArgumentException} if the line is not JSON.
   */
  static Reply decode(String line) {
    Map<String, Object> fields = JsonLine.parse(line);
    Object phase = fields.get("phase");
    String id = Messages.text(fields.get("id"));
    Optional<Phase> known = Phase.ofWireName(phase);
    if (known.isEmpty()) {
      return new Other(String.valueOf(phase));
    }
    return switch (known.get()) {
      case READY ->
          new Ready(
              id, Messages.strings(fields.get("warnings")), Messages.text(fields.get("runtime")));
      case REFUSED ->
          new Refused(
              id, Messages.text(fields.get("resource")), Messages.text(fields.get("reason")));
      case DONE -> new Done(id, Messages.strings(fields.get("errors")));
      case ERROR -> new Error(Messages.text(fields.get("reason")));
      default -> new Other(String.valueOf(phase));
    };
  }

  /**
   * Ready to be dumped.
   *
   * @param warnings what may not survive a restore
   * @param runtime what the process runs, in free text, for cryo's records
   */
  record Ready(String id, List<String> warnings, String runtime) implements Reply {
    public Ready {
      warnings = List.copyOf(warnings);
    }

    @Override
    public String phaseName() {
      return Phase.READY.wireName();
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      fields.put("warnings", warnings);
      fields.put("runtime", runtime);
    }
  }

  /**
   * No checkpoint now.
   *
   * @param resource the resource that refused, or null when the process names none
   * @param reason shown to the user as it is
   */
  record Refused(String id, String resource, String reason) implements Reply {
    @Override
    public String phaseName() {
      return Phase.REFUSED.wireName();
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      if (resource != null) {
        fields.put("resource", resource);
      }
      fields.put("reason", reason);
    }
  }

  /**
   * The process has taken up its work again after the checkpoint.
   *
   * @param errors what failed doing so
   */
  record Done(String id, List<String> errors) implements Reply {
    public Done {
      errors = List.copyOf(errors);
    }

    @Override
    public String phaseName() {
      return Phase.DONE.wireName();
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      fields.put("errors", errors);
    }
  }

  /** The request was not understood or not allowed; it carries no id. */
  record Error(String reason) implements Reply {
    @Override
    public String phaseName() {
      return Phase.ERROR.wireName();
    }

    @Override
    public void putFields(Map<String, Object> fields) {
      fields.put("reason", reason);
    }
  }

  /** A line whose phase is not a reply's: what a reader that expected a reply reports. */
  record Other(String phaseName) implements Reply {}
}
