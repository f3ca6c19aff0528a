package dev.cryo.cluster.store;

/**
 * A change seen by a watch.
 *
 * @param kind whether the key was written or deleted (a lease that expires deletes its keys)
 * @param keyValue the key after a write; after a delete, the key with an empty value and the
 *     deleting revision as its mod revision
 */
public record WatchEvent(Kind kind, KeyValue keyValue) {
  public enum Kind {
    PUT,
    DELETE
  }
}
