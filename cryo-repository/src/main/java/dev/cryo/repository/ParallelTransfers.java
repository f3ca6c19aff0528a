package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Object transfers of one push or pull, a few at a time: object stores answer one request slowly
 * and many at once well. At most twice as many as run are queued, which bounds the memory held in
 * chunks. The first failure stops the rest and is thrown to the caller.
 */
final class ParallelTransfers implements AutoCloseable {
  /** One transfer. */
  @FunctionalInterface
  interface Transfer<T> {
    T run() throws ImageStoreException;
  }

  private final ExecutorService executor;
  private final Semaphore slots;
  private final int capacity;
  private final AtomicReference<ImageStoreException> failure = new AtomicReference<>();
  private final AtomicLong bytes = new AtomicLong();

  ParallelTransfers(int parallelism, String name) {
    this.capacity = 2 * parallelism;
    this.slots = new Semaphore(capacity);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread thread = new Thread(r, "cryo-" + name + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts {@code transfer} once a slot is free.
   *
   * @throws ImageStoreException the failure of an earlier transfer, if one failed
   */
  <T> Future<T> submit(Transfer<T> transfer) throws ImageStoreException {
    rethrow();
    acquire(1);
    rethrow();
    return executor.submit(
        () -> {
          try {
            return transfer.run();
          } catch (ImageStoreException e) {
            failure.compareAndSet(null, e);
            throw e;
          } catch (RuntimeException e) {
            failure.compareAndSet(
                null, new ImageStoreException("transfer failed: " + e.getMessage(), e));
            throw e;
          } finally {
            slots.release();
          }
        });
  }

  /** Records {@code transferredBytes} moved by one transfer. */
  void transferred(long transferredBytes) {
    bytes.addAndGet(transferredBytes);
  }

  long bytes() {
    return bytes.get();
  }

  /** Waits for every transfer started; throws the first failure. */
  void awaitAll() throws ImageStoreException {
    acquire(capacity);
    slots.release(capacity);
    rethrow();
  }

  /** The result of a transfer, waiting for it; its failure, or the first of any transfer. */
  <T> T result(Future<T> future) throws ImageStoreException {
    try {
      return future.get();
    } catch (ExecutionException | CancellationException e) {
      rethrow();
      throw new ImageStoreException("transfer failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageStoreException("interrupted", e);
    }
  }

  private void rethrow() throws ImageStoreException {
    ImageStoreException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  private void acquire(int permits) throws ImageStoreException {
    try {
      slots.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageStoreException("interrupted", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
