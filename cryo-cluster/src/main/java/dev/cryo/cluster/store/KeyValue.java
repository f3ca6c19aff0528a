package dev.cryo.cluster.store;

/**
 * A key as the store holds it.
 *
 * @param createRevision the revision that created it: a key deleted and created again has a new
 *     one, which is what makes it usable as an epoch
 * @param modRevision the revision of its last change
 * @param version how many times it was written since it was created
 * @param lease the lease it is held under, or {@link Lease#NONE}
 */
public record KeyValue(
    String key, String value, long createRevision, long modRevision, long version, long lease) {}
