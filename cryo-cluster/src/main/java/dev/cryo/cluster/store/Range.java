package dev.cryo.cluster.store;

import java.util.List;

/**
 * Keys read together, and the revision they were read at: a watch from that revision misses nothing
 * that happened after the read.
 */
public record Range(List<KeyValue> keys, long revision) {
  public Range {
    keys = List.copyOf(keys);
  }
}
