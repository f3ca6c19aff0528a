package dev.cryo.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cryo.images.JsonMappers;
import dev.cryo.linux.HostFacts;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a prune from deleting chunks that a push under way is about to reference. A push may find a
 * chunk already stored and skip it; if a prune deleted that chunk meanwhile, the push's manifest
 * would name a missing chunk. So each push and prune puts a marker under {@code locks/} and then
 * lists the markers: a push yields to a prune, a prune to anything. Object stores list what was put
 * before (S3 is strongly consistent), so of two that start together at least one sees the other and
 * waits. A holder rewrites its marker while it works; one not rewritten for {@link #STALE_AFTER}
 * belongs to a process that died and is ignored.
 */
final class RepositoryLocks {
  static final Duration STALE_AFTER = Duration.ofMinutes(30);
  private static final Duration REFRESH_EVERY = Duration.ofMinutes(5);

  enum Kind {
    PUSH,
    PRUNE;

    boolean conflictsWith(Kind other) {
      return this == PRUNE || other == PRUNE;
    }
  }

  private final ObjectStore store;

  RepositoryLocks(ObjectStore store) {
    this.store = store;
  }

  /** A marker this process holds; closing it removes the marker. */
  final class Held implements AutoCloseable {
    private final String key;
    private final ScheduledExecutorService refresher;

    private Held(String key, byte[] marker) {
      this.key = key;
      this.refresher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "cryo-repository-lock");
                thread.setDaemon(true);
                return thread;
              });
      refresher.scheduleWithFixedDelay(
          () -> {
            try {
              store.put(key, marker);
            } catch (ObjectStoreException e) {
              // The next refresh tries again; a marker goes stale only after many misses.
            }
          },
          REFRESH_EVERY.toMillis(),
          REFRESH_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws ObjectStoreException {
      refresher.shutdownNow();
      store.delete(key);
    }
  }

  /**
   * Puts a marker of {@code kind} once no conflicting one is held, waiting up to {@code wait}.
   *
   * @throws RepositoryBusyException when a conflicting marker is still there after {@code wait}
   */
  Held acquire(Kind kind, Duration wait) throws ObjectStoreException, RepositoryBusyException {
    long deadline = System.nanoTime() + wait.toNanos();
    String key = ObjectKeys.lock(kind.name().toLowerCase() + "-" + UUID.randomUUID());
    byte[] marker = marker(kind);
    while (true) {
      store.put(key, marker);
      List<String> others = conflicting(kind, key);
      if (others.isEmpty()) {
        return new Held(key, marker);
      }
      store.delete(key);
      if (System.nanoTime() > deadline) {
        throw new RepositoryBusyException(
            (kind == Kind.PRUNE ? "cannot prune " : "cannot push to ")
                + store.location()
                + ": "
                + String.join("; ", others)
                + " is under way; try again when it ends (a marker left by a process that died"
                + " is ignored after "
                + STALE_AFTER.toMinutes()
                + " minutes)");
      }
      sleep(500 + ThreadLocalRandom.current().nextInt(1000));
    }
  }

  /** Removes the markers of processes that died; only a prune, which holds the repository, may. */
  int deleteStale() throws ObjectStoreException {
    int deleted = 0;
    for (ObjectStore.StoredObject lock : store.list(ObjectKeys.LOCKS)) {
      if (isStale(lock)) {
        store.delete(lock.key());
        deleted++;
      }
    }
    return deleted;
  }

  private List<String> conflicting(Kind kind, String ownKey) throws ObjectStoreException {
    List<String> found = new ArrayList<>();
    for (ObjectStore.StoredObject lock : store.list(ObjectKeys.LOCKS)) {
      if (lock.key().equals(ownKey) || isStale(lock)) {
        continue;
      }
      String description = describe(lock);
      Kind other = lock.key().startsWith(ObjectKeys.LOCKS + "prune") ? Kind.PRUNE : Kind.PUSH;
      if (kind.conflictsWith(other)) {
        found.add(description);
      }
    }
    return found;
  }

  private static boolean isStale(ObjectStore.StoredObject lock) {
    return lock.lastModified().isBefore(Instant.now().minus(STALE_AFTER));
  }

  private String describe(ObjectStore.StoredObject lock) {
    try {
      JsonNode json = JsonMappers.lines().readTree(store.get(lock.key()));
      return "a "
          + json.path("kind").asText("push")
          + " from "
          + json.path("host").asText("?")
          + " (PID "
          + json.path("pid").asText("?")
          + ", since "
          + json.path("since").asText("?")
          + ")";
    } catch (IOException | ObjectStoreException e) {
      return "a push or prune (" + lock.key() + ")";
    }
  }

  private static byte[] marker(Kind kind) {
    ObjectNode json = JsonMappers.lines().createObjectNode();
    json.put("kind", kind.name().toLowerCase());
    json.put("host", HostFacts.hostname());
    json.put("pid", ProcessHandle.current().pid());
    json.put("since", Instant.now().toString());
    try {
      return JsonMappers.lines().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) throws RepositoryBusyException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryBusyException("interrupted while waiting for the repository");
    }
  }
}
