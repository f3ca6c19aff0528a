package dev.cryo.node;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.images.ImageStoreException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the newest published checkpoint of other hosts' programs pulled into this host's store
 * ahead of time, for the programs this node could take over, so that a failover here costs little
 * more than a local restore. The repository deduplicates, so this costs the object store reads, not
 * space; locally, only the newest checkpoint of each program is kept.
 *
 * <p>One pull at a time, on a thread of its own, and at most one per program every {@link
 * #spacing}: a program checkpointed every few seconds is not pulled every few seconds.
 */
final class Prefetcher implements AutoCloseable {
  private final String node;
  private final ClusterRepository repository;
  private final Duration minimumSpacing;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "cryo-node-prefetch");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean busy = new AtomicBoolean();

  /** Per program: the checkpoint pulled ahead of time, and when. */
  private final Map<String, String> pulled = new HashMap<>();

  private final Map<String, Long> pulledAt = new HashMap<>();

  Prefetcher(String node, ClusterRepository repository, Duration minimumSpacing) {
    this.node = node;
    this.repository = repository;
    this.minimumSpacing = minimumSpacing;
  }

  /** Starts the next pull the view calls for, if none runs. */
  synchronized void consider(ClusterView view) {
    if (busy.get()) {
      return;
    }
    for (String program : view.programNames()) {
      Optional<KeyValue> owner = view.owner(program);
      if (owner.isPresent() && owner.get().value().equals(node)) {
        forget(program);
        continue;
      }
      if (owner.isEmpty()) {
        continue;
      }
      NodeFit fit = view.fits(program).get(node);
      Optional<PublishedCheckpoint> published = view.checkpoint(program);
      if (fit == null || !fit.fits() || published.isEmpty()) {
        continue;
      }
      String wanted = published.get().name();
      if (wanted.equals(pulled.get(program)) || !due(program, view)) {
        continue;
      }
      busy.set(true);
      worker.execute(() -> pull(program, wanted));
      return;
    }
  }

  private boolean due(String program, ClusterView view) {
    Long last = pulledAt.get(program);
    long every =
        Math.max(
            minimumSpacing.toMillis(),
            view.spec(program).map(ClusterProgram::everyMillis).orElse(0L));
    return last == null || System.currentTimeMillis() - last >= every;
  }

  private void pull(String program, String checkpoint) {
    try {
      repository.fetch(checkpoint);
      String previous;
      synchronized (this) {
        previous = pulled.put(program, checkpoint);
        pulledAt.put(program, System.currentTimeMillis());
      }
      if (previous != null && !previous.equals(checkpoint)) {
        repository.discard(previous);
      }
    } catch (ImageStoreException | RuntimeException e) {
      synchronized (this) {
        pulledAt.put(program, System.currentTimeMillis());
      }
      System.err.println(
          "cryo node "
              + node
              + ": could not pull "
              + checkpoint
              + " of "
              + program
              + " ahead of time: "
              + e.getMessage());
    } finally {
      busy.set(false);
    }
  }

  /** Forgets a program this node now runs: its run keeps the checkpoint it restored from. */
  synchronized void forget(String program) {
    pulled.remove(program);
    pulledAt.remove(program);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
