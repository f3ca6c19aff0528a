package dev.cryo.node;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.images.ImageStoreException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Checkpoints asked for from any host ({@code cryo checkpoint NAME --cluster}): the owner takes one
 * of its run, as {@code cryo checkpoint NAME} would on its host, uploads it and publishes it on the
 * same condition as its scheduled ones, then answers with an event naming the request. One at a
 * time, on a thread of its own, so that the node's loop and renewals never wait for a dump.
 */
final class RequestedCheckpoints implements AutoCloseable {
  private final CoordinationStore store;
  private final RunCheckpointer checkpointer;
  private final ClusterRepository repository;
  private final CheckpointPublisher publisher;
  private final ClusterEvents events;
  private final Set<String> seen = new HashSet<>();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "cryo-node-requested-checkpoints");
            thread.setDaemon(true);
            return thread;
          });

  RequestedCheckpoints(
      CoordinationStore store,
      RunCheckpointer checkpointer,
      ClusterRepository repository,
      CheckpointPublisher publisher,
      ClusterEvents events) {
    this.store = store;
    this.checkpointer = checkpointer;
    this.repository = repository;
    this.publisher = publisher;
    this.events = events;
  }

  /**
   * Takes the checkpoint that {@code request} (a request id) asks for, unless already under way.
   */
  synchronized void consider(String program, long epoch, String request) {
    if (seen.add(request)) {
      worker.execute(() -> take(program, epoch, request));
    }
  }

  private void take(String program, long epoch, String request) {
    try {
      String checkpoint = checkpointer.checkpoint(program);
      repository.upload(checkpoint);
      boolean published = publisher.publish(program, epoch, checkpoint);
      events.append(
          program,
          published ? "requested-checkpoint" : "requested-checkpoint-failed",
          published
              ? "checkpoint "
                  + checkpoint
                  + " taken, uploaded and published as asked (request "
                  + request
                  + ")"
              : "checkpoint "
                  + checkpoint
                  + " was taken but not published (request "
                  + request
                  + "): this node no longer owns the program");
    } catch (IOException | ImageStoreException | CoordinationException e) {
      events.append(
          program,
          "requested-checkpoint-failed",
          "could not checkpoint it as asked (request "
              + request
              + "): "
              + FailureMessages.describe(e));
    } finally {
      String key = ClusterKeys.checkpointRequest(program);
      try {
        store.txn(List.of(Compare.valueIs(key, request)), List.of(TxnOp.delete(key)), List.of());
      } catch (CoordinationException e) {
        System.err.println(
            "cryo node: could not clear checkpoint request " + request + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
