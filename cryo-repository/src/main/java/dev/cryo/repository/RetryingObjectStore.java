package dev.cryo.repository;

import java.time.Duration;
import java.util.List;

/**
 * An {@link ObjectStore} that tries again, with growing pauses, when the store is unavailable: a
 * server restarting, a dropped connection, throttling. Other failures (credentials, a missing
 * bucket or object) are answered at once. Safe because every operation is idempotent: objects are
 * whole and their keys name their content or their checkpoint.
 */
public final class RetryingObjectStore implements ObjectStore {
  /** Five attempts over about eight seconds. */
  public static final Policy DEFAULT_POLICY = new Policy(5, Duration.ofMillis(500));

  private final ObjectStore store;
  private final Policy policy;

  /** How often to try and how long to wait first; each pause doubles the one before. */
  public record Policy(int attempts, Duration firstPause) {}

  public RetryingObjectStore(ObjectStore store, Policy policy) {
    this.store = store;
    this.policy = policy;
  }

  @FunctionalInterface
  private interface Operation<T> {
    T run() throws ObjectStoreException;
  }

  private <T> T retry(Operation<T> operation) throws ObjectStoreException {
    long pause = policy.firstPause().toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.run();
      } catch (ObjectStoreUnavailableException e) {
        if (attempt >= policy.attempts()) {
          throw new ObjectStoreUnavailableException(
              e.getMessage() + " (tried " + attempt + " times)", e);
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreUnavailableException("interrupted while waiting to try again", e);
      }
      pause *= 2;
    }
  }

  @Override
  public void createIfMissing() throws ObjectStoreException {
    retry(
        () -> {
          store.createIfMissing();
          return null;
        });
  }

  @Override
  public void put(String key, byte[] bytes) throws ObjectStoreException {
    retry(
        () -> {
          store.put(key, bytes);
          return null;
        });
  }

  @Override
  public byte[] get(String key) throws ObjectStoreException {
    return retry(() -> store.get(key));
  }

  @Override
  public byte[] getRange(String key, long offset, int length) throws ObjectStoreException {
    return retry(() -> store.getRange(key, offset, length));
  }

  @Override
  public List<StoredObject> list(String prefix) throws ObjectStoreException {
    return retry(() -> store.list(prefix));
  }

  @Override
  public void delete(String key) throws ObjectStoreException {
    retry(
        () -> {
          store.delete(key);
          return null;
        });
  }

  @Override
  public String location() {
    return store.location();
  }
}
