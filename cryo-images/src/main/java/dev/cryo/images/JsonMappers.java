package dev.cryo.images;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON configuration of every file cryo writes: manifests, a run's spec and state, its event
 * log. One place, so that all of them read the same way: a file written by a newer cryo, with
 * fields this one does not know, is still read. The mappers are thread-safe once configured and
 * shared, so that a warm-up ({@link ImageStore#warmUp}) prepares the one that real reads use.
 */
public final class JsonMappers {
  private static final ObjectMapper DOCUMENTS =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper LINES =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JsonMappers() {}

  /** For files that hold one value, indented for a person who opens them. */
  public static ObjectMapper documents() {
    return DOCUMENTS;
  }

  /** For files of one value per line, such as an event log: nothing is indented. */
  public static ObjectMapper lines() {
    return LINES;
  }
}
