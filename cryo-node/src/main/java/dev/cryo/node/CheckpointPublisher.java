package dev.cryo.node;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.TxnOp;
import java.time.Instant;
import java.util.List;

/**
 * Makes a checkpoint its program's {@link PublishedCheckpoint}, on the condition that this node
 * still owns the program in the epoch the checkpoint was taken in: the fence that keeps a node that
 * lost a program (cut off, its lease expired, the program placed elsewhere) from overwriting what
 * the new owner comes back from.
 */
final class CheckpointPublisher {
  private final CoordinationStore store;
  private final String node;
  private final ClusterEvents events;

  CheckpointPublisher(CoordinationStore store, String node, ClusterEvents events) {
    this.store = store;
    this.node = node;
    this.events = events;
  }

  /**
   * Publishes {@code checkpoint} if the owner key still holds this node and was created at {@code
   * epoch}, and records an event saying whether it was.
   *
   * @return whether it was published
   */
  boolean publish(String program, long epoch, String checkpoint) {
    String owner = ClusterKeys.owner(program);
    PublishedCheckpoint published =
        new PublishedCheckpoint(checkpoint, node, epoch, Instant.now().toString());
    boolean done =
        store
            .txn(
                List.of(Compare.valueIs(owner, node), Compare.createdAt(owner, epoch)),
                List.of(TxnOp.put(ClusterKeys.checkpoint(program), ClusterJson.write(published))),
                List.of())
            .succeeded();
    events.append(
        program,
        done ? "published" : "not-published",
        done
            ? "checkpoint " + checkpoint + " is now the one it comes back from"
            : "checkpoint "
                + checkpoint
                + " was not published: "
                + node
                + " no longer owns the program (its lease ended)");
    return done;
  }
}
