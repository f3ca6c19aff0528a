package dev.cryo.node;

import dev.cryo.cluster.store.CoordinationException;

/**
 * Another live node has this node's name: two nodes of one name would own each other's programs.
 */
public final class NodeNameTakenException extends CoordinationException {
  NodeNameTakenException(String node) {
    super(
        "node name "
            + node
            + " is held by another live node; give this one another --name, or stop the other");
  }
}
