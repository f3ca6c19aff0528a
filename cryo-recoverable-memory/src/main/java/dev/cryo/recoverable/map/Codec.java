package dev.cryo.recoverable.map;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Turns typed values into the bytes a {@link PersistentMap} stores, and back. Encodings must be
 * stable across releases of the application: they outlive the process that wrote them.
 */
public interface Codec<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);

  /** UTF-8 strings. */
  Codec<String> UTF8 =
      new Codec<>() {
        @Override
        public byte[] encode(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }
      };

  /** Longs as 8 little-endian bytes. */
  Codec<Long> INT64 =
      new Codec<>() {
        @Override
        public byte[] encode(Long value) {
          return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        }

        @Override
        public Long decode(byte[] bytes) {
          return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
      };
}
