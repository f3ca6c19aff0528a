package dev.cryo.testprograms.participant;

import com.sun.net.httpserver.HttpServer;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Cryo;
import dev.cryo.runtime.Resumption;
import dev.cryo.testprograms.TextReply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP service that takes part in checkpoints through the Cryo runtime's own API, for the
 * integration tests of the runtime: two registered resources that record their notifications, a
 * counter, random values, and a scheduled task. {@code -Ddemo.refuse=NAME} makes resource NAME
 * throw before a checkpoint; {@code -Ddemo.block=NAME[:MILLIS]} makes it block for a minute (or
 * MILLIS). With {@code -Ddemo.rebind=true} it closes its listening socket before each checkpoint
 * and opens it again afterwards on {@code -Ddemo.port} (default: the port it had), as CRaC-aware
 * servers do: copies of one checkpoint restored with different {@code -Ddemo.port} values then
 * serve side by side.
 *
 * <p>Endpoints: {@code /increment}, {@code /count}, {@code /events} (the notifications, one per
 * line), {@code /restored-at}, {@code /random}, {@code /schedule?seconds=N}, {@code /timer} (the
 * scheduled task's remaining delay in ms, or "fired"), {@code /checkpoint} (the application
 * checkpoints itself and answers how it continued).
 */
public final class ParticipantService {
  private final AtomicLong counter = new AtomicLong();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private volatile ScheduledFuture<?> timer;
  private final AtomicBoolean fired = new AtomicBoolean();

  /** A resource that records what it is told, and refuses or blocks when asked to. */
  private final class RecordingResource implements CheckpointResource {
    private final String name;

    RecordingResource(String name) {
      this.name = name;
    }

    @Override
    public void beforeCheckpoint() throws Exception {
      events.add("before " + name);
      if (name.equals(System.getProperty("demo.refuse"))) {
        throw new IllegalStateException(name + " has work in flight");
      }
      String block = System.getProperty("demo.block", "");
      if (block.equals(name) || block.startsWith(name + ":")) {
        Thread.sleep(
            block.contains(":") ? Long.parseLong(block.substring(block.indexOf(':') + 1)) : 60_000);
      }
    }

    @Override
    public void afterRestore(Resumption resumption) {
      events.add("after " + name + " " + resumption.name().toLowerCase());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    new ParticipantService().serve(port);
    // The HTTP server's thread goes away while the listener is closed for a checkpoint; this one
    // keeps the JVM alive meanwhile.
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the listening socket before a checkpoint and opens it again after, on the configured
   * port.
   */
  private final class Listener implements CheckpointResource {
    private volatile int port;

    Listener(int port) {
      this.port = port;
    }

    @Override
    public void beforeCheckpoint() {
      server.stop(0);
    }

    @Override
    public void afterRestore(Resumption resumption) throws IOException {
      port = Integer.getInteger("demo.port", port);
      start(port);
    }
  }

  private volatile HttpServer server;

  private void serve(int port) throws IOException {
    Cryo.register(new RecordingResource("first"));
    Cryo.register(new RecordingResource("second"));
    int listenOn = Integer.getInteger("demo.port", port);
    start(listenOn);
    if (Boolean.getBoolean("demo.rebind")) {
      Cryo.register(new Listener(listenOn));
    }
    System.out.println("ready " + listenOn);
  }

  private void start(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/increment", ex -> TextReply.send(ex, Long.toString(counter.incrementAndGet())));
    server.createContext("/count", ex -> TextReply.send(ex, Long.toString(counter.get())));
    server.createContext("/events", ex -> TextReply.send(ex, String.join("\n", events)));
    server.createContext(
        "/restored-at",
        ex -> TextReply.send(ex, Cryo.lastRestore().map(Object::toString).orElse("never")));
    server.createContext(
        "/random",
        ex -> {
          byte[] bytes = new byte[16];
          random.nextBytes(bytes);
          TextReply.send(ex, HexFormat.of().formatHex(bytes) + " " + UUID.randomUUID());
        });
    server.createContext(
        "/schedule",
        ex -> {
          long seconds = Long.parseLong(ex.getRequestURI().getQuery().replace("seconds=", ""));
          fired.set(false);
          timer = scheduler.schedule(() -> fired.set(true), seconds, TimeUnit.SECONDS);
          TextReply.send(ex, "scheduled");
        });
    server.createContext(
        "/timer",
        ex -> {
          ScheduledFuture<?> current = timer;
          TextReply.send(
              ex,
              fired.get()
                  ? "fired"
                  : current == null
                      ? "none"
                      : Long.toString(current.getDelay(TimeUnit.MILLISECONDS)));
        });
    server.createContext(
        "/checkpoint",
        ex -> {
          String outcome;
          try {
            outcome = Cryo.checkpointRestore().name();
          } catch (Exception e) {
            outcome = "refused: " + e.getMessage();
          }
          TextReply.send(ex, outcome);
        });
    server.start();
    this.server = server;
  }
}
