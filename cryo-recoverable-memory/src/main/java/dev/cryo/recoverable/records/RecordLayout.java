package dev.cryo.recoverable.records;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a fixed-size record, like a C struct: 64-bit and 32-bit integers and byte arrays of
 * fixed length, laid out in declaration order with natural alignment.
 */
public final class RecordLayout {
  /** One field: its name, kind, offset inside the record and size. */
  public record Field(String name, Kind kind, int offset, int size) {}

  /** What a field holds. */
  public enum Kind {
    INT64,
    INT32,
    BYTES
  }

  private final Map<String, Field> fields;
  private final int size;

  private RecordLayout(Map<String, Field> fields, int size) {
    this.fields = fields;
    this.size = size;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Bytes per record, a multiple of 8. */
  public int size() {
    return size;
  }

  public Field field(String name) {
    Field f = fields.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "no field '" + name + "' in this layout; it has " + fields.keySet());
    }
    return f;
  }

  public List<Field> fields() {
    return new ArrayList<>(fields.values());
  }

  /** A fingerprint of names, kinds and offsets, stored with an array to catch a changed layout. */
  long fingerprint() {
    long h = 1125899906842597L;
    for (Field f : fields.values()) {
      h = 31 * h + f.name().hashCode();
      h = 31 * h + f.kind().ordinal();
      h = 31 * h + f.offset();
      h = 31 * h + f.size();
    }
    return h;
  }

  /** Builds a {@link RecordLayout}, one field at a time. */
  public static final class Builder {
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private int next;

    private Builder() {}

    public Builder int64(String name) {
      return add(name, Kind.INT64, 8, 8);
    }

    public Builder int32(String name) {
      return add(name, Kind.INT32, 4, 4);
    }

    public Builder bytes(String name, int length) {
      if (length <= 0) {
        throw new IllegalArgumentException("a bytes field needs a positive length");
      }
      return add(name, Kind.BYTES, length, 1);
    }

    private Builder add(String name, Kind kind, int size, int alignment) {
      if (fields.containsKey(name)) {
        throw new IllegalArgumentException("field '" + name + "' is declared twice");
      }
      int offset = (next + alignment - 1) / alignment * alignment;
      fields.put(name, new Field(name, kind, offset, size));
      next = offset + size;
      return this;
    }

    public RecordLayout build() {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("a record layout needs at least one field");
      }
      return new RecordLayout(new LinkedHashMap<>(fields), (next + 7) / 8 * 8);
    }
  }
}
