package dev.cryo.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What requests and replies share in reading and writing their fields. */
final class Messages {
  private Messages() {}

  /** A message's fields in the order they are written: phase, then id. */
  static Map<String, Object> fields(Phase phase, String id) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("phase", phase.wireName());
    fields.put("id", id);
    return fields;
  }

  static String text(Object value) {
    return value == null ? null : value.toString();
  }

  static List<String> strings(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }
}
