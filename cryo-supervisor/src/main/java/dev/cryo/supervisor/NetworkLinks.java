package dev.cryo.supervisor;

import dev.cryo.linux.NetworkNamespaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The links of a run's network namespace, as a fenced run takes them down: what the supervisor
 * needs of the host's network, so that fencing can be tested without namespaces. {@link #HOST} is
 * the host's, through {@code ip}.
 */
interface NetworkLinks {
  /**
   * Sets every link of the namespace in {@code namespaceFile} but the loopback down, so that its
   * addresses stop answering (ARP included). Returns the links set down.
   */
  List<String> setDown(Path namespaceFile) throws IOException;

  NetworkLinks HOST = NetworkNamespaces::setLinksDown;
}
