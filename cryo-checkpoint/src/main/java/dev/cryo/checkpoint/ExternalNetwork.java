package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOptions;
import dev.cryo.linux.NetworkNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tree that runs in an existing network namespace which someone else made and keeps (a node's
 * namespace for a service address): its checkpoints leave the namespace out, and its restores put
 * the sockets back into the namespace they are given, which may be another host's with the same
 * address. CRIU then neither dumps nor recreates links, addresses and routes; it needs only the
 * namespace's inode at the dump and an open descriptor of it at the restore, matched by one key.
 */
final class ExternalNetwork {
  /** The key under which a checkpoint records its namespace, and a restore supplies one. */
  static final String KEY = "cryo-net";

  private ExternalNetwork() {}

  /**
   * The inode of the namespace {@code pid} runs in, once checked to be the one in {@code file}: a
   * checkpoint that left out a namespace the tree does not run in would restore its sockets where
   * they never were.
   */
  static long inodeForDump(int pid, Path file) throws ProcessNotFoundException, CriuException {
    long expected = fileInode(file, "checkpoint");
    long actual;
    try {
      actual = NetworkNamespaces.inodeOf(pid);
    } catch (IOException e) {
      throw new ProcessNotFoundException("no running process with PID " + pid);
    }
    if (actual != expected) {
      throw new CriuException(
          "PID "
              + pid
              + " does not run in the network namespace "
              + file
              + "; checkpoint it without that namespace, or start it in it");
    }
    return actual;
  }

  /** Declares the tree's namespace, of {@code inode}, external for the dump. */
  static void declareForDump(CriuOptions.Builder criu, long inode) {
    criu.externalNetworkNamespace(inode, KEY);
  }

  /** Hands CRIU the namespace in {@code file} for the sockets of a tree dumped with one. */
  static void supplyForRestore(CriuOptions.Builder criu, Path file) throws CriuException {
    fileInode(file, "restore");
    criu.inheritNetworkNamespace(KEY, file);
  }

  private static long fileInode(Path file, String operation) throws CriuException {
    if (!Files.exists(file)) {
      throw new CriuException(
          "network namespace "
              + file
              + " does not exist; create it (ip netns add) before the "
              + operation);
    }
    try {
      return NetworkNamespaces.inodeOfFile(file);
    } catch (IOException e) {
      throw new CriuException("cannot read network namespace " + file + ": " + e.getMessage(), e);
    }
  }
}
