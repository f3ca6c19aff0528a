package dev.cryo.cluster.store;

import java.time.Duration;

/**
 * A lease granted by the store: the keys put under it live as long as someone renews it.
 *
 * @param id the store's id for it
 * @param ttl how long it lives without renewal
 */
public record Lease(long id, Duration ttl) {
  /** No lease: a key put under it lives until deleted. */
  public static final long NONE = 0;
}
