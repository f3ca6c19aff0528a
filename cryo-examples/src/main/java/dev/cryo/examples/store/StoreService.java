package dev.cryo.examples.store;

import com.sun.net.httpserver.HttpServer;
import dev.cryo.examples.TextReply;
import dev.cryo.store.CheckpointHold;
import dev.cryo.store.Durability;
import dev.cryo.store.RecoverableStore;
import dev.cryo.store.StoreOptions;
import dev.cryo.store.Transaction;
import dev.cryo.store.runtime.StoreCheckpointResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An HTTP counter kept in a cryo-store and registered as a checkpoint resource, for the tests of
 * store and process checkpoints together: {@code /commit} adds one in a transaction,
 * {@code /value} reads it, {@code /reconciliation} tells what the last checkpoint's resumption
 * reported ("AT NOW restored|resumed").
 *
 * <p>Usage: {@code StoreService PORT FILE PROCESS_CRASH|MACHINE_CRASH}.
 */
public final class StoreService {
  private volatile String reconciliation = "none";

  public static void main(String[] args) throws IOException {
    new StoreService().serve(Integer.parseInt(args[0]), Path.of(args[1]), Durability.valueOf(args[2]));
  }

  private void serve(int port, Path file, Durability durability) throws IOException {
    RecoverableStore store = Files.exists(file) ? RecoverableStore.open(file)
        : RecoverableStore.create(file, StoreOptions.of(1 << 20, durability));
    StoreCheckpointResource.register(store, this::reconciled);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/commit", ex -> {
      long value;
      try (Transaction tx = store.begin()) {
        value = store.getLong(0) + 1;
        tx.declare(0, 8).putLong(0, value);
        tx.commit();
      }
      TextReply.send(ex, Long.toString(value));
    });
    server.createContext("/value", ex -> TextReply.send(ex, Long.toString(store.getLong(0))));
    server.createContext("/reconciliation", ex -> TextReply.send(ex, reconciliation));
    server.start();
    System.out.println("ready " + port);
  }

  private void reconciled(CheckpointHold.Reconciliation r) {
    reconciliation = r.sequenceAtCheckpoint() + " " + r.sequenceNow() + " " + (r.restored() ? "restored" : "resumed");
    System.out.println("store after checkpoint: " + reconciliation);
  }
}
