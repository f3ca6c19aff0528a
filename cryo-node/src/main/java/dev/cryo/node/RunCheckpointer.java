package dev.cryo.node;

import java.io.IOException;

/**
 * Takes a checkpoint of one of this host's runs now, as {@code cryo checkpoint NAME} does, and
 * returns its id: how the node answers {@code cryo checkpoint NAME --cluster} without knowing CRIU.
 */
@FunctionalInterface
public interface RunCheckpointer {
  String checkpoint(String run) throws IOException;
}
