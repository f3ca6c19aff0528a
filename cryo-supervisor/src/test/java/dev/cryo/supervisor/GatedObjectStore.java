package dev.cryo.supervisor;

import dev.cryo.repository.ObjectStore;
import dev.cryo.repository.ObjectStoreException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An object store whose pack uploads (the chunks) a test can hold back, to have checkpoints taken
 * while an upload is under way; it counts what is put.
 */
final class GatedObjectStore implements ObjectStore {
  private final ObjectStore store;
  private final AtomicInteger puts = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final CountDownLatch chunkWaiting = new CountDownLatch(1);

  GatedObjectStore(ObjectStore store) {
    this.store = store;
  }

  /** Chunk uploads wait from now on, until {@link #open}. */
  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  /** Waits until a chunk upload waits at the closed gate. */
  void awaitChunkWaiting() throws InterruptedException {
    if (!chunkWaiting.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("no upload began within 30 s");
    }
  }

  /** How many objects were put, lock markers included. */
  int puts() {
    return puts.get();
  }

  @Override
  public void createIfMissing() throws ObjectStoreException {
    store.createIfMissing();
  }

  @Override
  public void put(String key, byte[] bytes) throws ObjectStoreException {
    puts.incrementAndGet();
    if (key.startsWith("packs/")) {
      CountDownLatch current = gate;
      if (current.getCount() > 0) {
        chunkWaiting.countDown();
      }
      try {
        current.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreException("interrupted");
      }
    }
    store.put(key, bytes);
  }

  @Override
  public byte[] get(String key) throws ObjectStoreException {
    return store.get(key);
  }

  @Override
  public byte[] getRange(String key, long offset, int length) throws ObjectStoreException {
    return store.getRange(key, offset, length);
  }

  @Override
  public List<StoredObject> list(String prefix) throws ObjectStoreException {
    return store.list(prefix);
  }

  @Override
  public void delete(String key) throws ObjectStoreException {
    store.delete(key);
  }

  @Override
  public String location() {
    return store.location();
  }
}
