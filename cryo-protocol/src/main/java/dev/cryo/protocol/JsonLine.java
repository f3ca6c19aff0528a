package dev.cryo.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's messages are one JSON object per line. The protocol itself uses strings, numbers,
 * booleans, null and arrays of those; nested objects are read too (as maps), so that fields others
 * add never break it. This reads and writes that, so the runtime needs no JSON library.
 */
public final class JsonLine {
  private final String text;
  private int at;

  private JsonLine(String text) {
    this.text = text;
  }

  /** Parses one object; throws {@link IllegalArgumentException} naming what is wrong. */
  public static Map<String, Object> parse(String line) {
    JsonLine parser = new JsonLine(line);
    parser.skipSpace();
    Map<String, Object> object = parser.object();
    parser.skipSpace();
    if (parser.at != line.length()) {
      throw parser.error("text after the object");
    }
    return object;
  }

  public static String write(Map<String, ?> object) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, ?> field : object.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      appendString(out, field.getKey());
      out.append(':');
      appendValue(out, field.getValue());
    }
    return out.append('}').toString();
  }

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Number number) {
      out.append(number.doubleValue());
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> object = new LinkedHashMap<>();
      map.forEach((k, v) -> object.put(String.valueOf(k), v));
      out.append(write(object));
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendValue(out, list.get(i));
      }
      out.append(']');
    } else {
      appendString(out, value.toString());
    }
  }

  private static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private Map<String, Object> object() {
    expect('{');
    Map<String, Object> object = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      at++;
      return object;
    }
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      object.put(key, value());
      skipSpace();
      char next = next();
      if (next == '}') {
        return object;
      }
      if (next != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '[') {
      return array();
    }
    if (c == '{') {
      return object(); // not used by the protocol, but a field anyone may add must not break it
    }
    if (text.startsWith("true", at)) {
      at += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("false", at)) {
      at += 5;
      return Boolean.FALSE;
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    return number();
  }

  private List<Object> array() {
    expect('[');
    List<Object> items = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      at++;
      return items;
    }
    while (true) {
      skipSpace();
      items.add(value());
      skipSpace();
      char next = next();
      if (next == ']') {
        return items;
      }
      if (next != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private Object number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String digits = text.substring(start, at);
    if (digits.isEmpty()) {
      throw error("expected a value");
    }
    try {
      if (digits.contains(".") || digits.contains("e") || digits.contains("E")) {
        return Double.parseDouble(digits);
      }
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error("bad number '" + digits + "'");
    }
  }

  private String string() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = next();
      switch (escaped) {
        case '"', '\\', '/' -> value.append(escaped);
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("short \\u escape");
          }
          value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> throw error("bad escape \\" + escaped);
      }
    }
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private char peek() {
    if (at >= text.length()) {
      throw error("unexpected end of line");
    }
    return text.charAt(at);
  }

  private char next() {
    char c = peek();
    at++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      at--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "not a protocol message: " + what + " at column " + (at + 1));
  }
}
