package dev.cryo.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cryo.cluster.store.CoordinationException;

/**
 * How the cluster's records are written in the coordination store: compact JSON, unknown fields
 * ignored so that nodes of different versions read each other's records.
 */
public final class ClusterJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ClusterJson() {}

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads a record; a value that does not parse is a damaged store, said as such. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new CoordinationException(
          "a "
              + type.getSimpleName()
              + " in the cluster's store does not parse: "
              + e.getOriginalMessage());
    }
  }
}
