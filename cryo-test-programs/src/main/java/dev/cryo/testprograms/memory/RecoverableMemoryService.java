package dev.cryo.testprograms.memory;

import com.sun.net.httpserver.HttpServer;
import dev.cryo.recoverable.CheckpointHold;
import dev.cryo.recoverable.Durability;
import dev.cryo.recoverable.RecoverableMemory;
import dev.cryo.recoverable.RecoverableMemoryOptions;
import dev.cryo.recoverable.Transaction;
import dev.cryo.recoverable.runtime.RecoverableMemoryResource;
import dev.cryo.testprograms.TextReply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An HTTP counter kept in a recoverable memory region (cryo-recoverable-memory) and registered as a
 * checkpoint resource, for the tests of recoverable memory and process checkpoints together: {@code
 * /commit} adds one in a transaction, {@code /value} reads it, {@code /reconciliation} tells what
 * the last checkpoint's resumption reported ("AT NOW restored|resumed").
 *
 * <p>Usage: {@code RecoverableMemoryService PORT FILE PROCESS_CRASH|MACHINE_CRASH}.
 */
public final class RecoverableMemoryService {
  private volatile String reconciliation = "none";

  public static void main(String[] args) throws IOException {
    new RecoverableMemoryService()
        .serve(Integer.parseInt(args[0]), Path.of(args[1]), Durability.valueOf(args[2]));
  }

  private void serve(int port, Path file, Durability durability) throws IOException {
    RecoverableMemory region =
        Files.exists(file)
            ? RecoverableMemory.open(file)
            : RecoverableMemory.create(file, RecoverableMemoryOptions.of(1 << 20, durability));
    RecoverableMemoryResource.register(region, this::reconciled);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/commit",
        ex -> {
          long value;
          try (Transaction tx = region.begin()) {
            value = region.getLong(0) + 1;
            tx.declare(0, 8).putLong(0, value);
            tx.commit();
          }
          TextReply.send(ex, Long.toString(value));
        });
    server.createContext("/value", ex -> TextReply.send(ex, Long.toString(region.getLong(0))));
    server.createContext("/reconciliation", ex -> TextReply.send(ex, reconciliation));
    server.start();
    System.out.println("ready " + port);
  }

  private void reconciled(CheckpointHold.Reconciliation r) {
    reconciliation =
        r.sequenceAtCheckpoint()
            + " "
            + r.sequenceNow()
            + " "
            + (r.restored() ? "restored" : "resumed");
    System.out.println("region after checkpoint: " + reconciliation);
  }
}
