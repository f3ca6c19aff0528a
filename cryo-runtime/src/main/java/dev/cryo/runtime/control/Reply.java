package dev.cryo.runtime.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A message the process sends back on a control connection. */
public record Reply(Map<String, Object> fields) {

  static Reply ready(String id, List<String> warnings) {
    Map<String, Object> fields = base(Phase.READY, id);
    fields.put("warnings", List.copyOf(warnings));
    fields.put("runtime", RuntimeIdentity.describe());
    return new Reply(fields);
  }

  static Reply refused(String id, String resource, String reason) {
    Map<String, Object> fields = base(Phase.REFUSED, id);
    if (resource != null) {
      fields.put("resource", resource);
    }
    fields.put("reason", reason);
    return new Reply(fields);
  }

  static Reply done(String id, List<String> errors) {
    Map<String, Object> fields = base(Phase.DONE, id);
    fields.put("errors", List.copyOf(errors));
    return new Reply(fields);
  }

  static Reply error(String reason) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("phase", Phase.ERROR);
    fields.put("reason", reason);
    return new Reply(fields);
  }

  private static Map<String, Object> base(String phase, String id) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("phase", phase);
    fields.put("id", id);
    return fields;
  }

  public String line() {
    return JsonLine.write(fields);
  }
}
