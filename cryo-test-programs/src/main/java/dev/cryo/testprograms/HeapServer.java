package dev.cryo.testprograms;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.cryo.runtime.CheckpointResource;
import dev.cryo.runtime.Cryo;
import dev.cryo.runtime.Resumption;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service with a chosen amount of live heap, which measures its own pauses: the subject of the
 * checkpoint benchmarks, where the time a checkpoint freezes an application has to be seen from
 * inside it. A ticker thread wakes every millisecond and records the longest gap between two of its
 * wake-ups; a checkpoint that stops the process shows up as one long gap.
 *
 * <pre>
 *   GET /increment   adds one to the counter and returns the new value
 *   GET /count       returns the counter
 *   GET /pause       returns the longest gap between ticks since the last /pause, in microseconds, and starts over
 *   GET /churn?percent=P  rewrites P% of the live arrays (chosen at random) in place with new content,
 *                    as an application changes part of its memory between two checkpoints; returns how many
 * </pre>
 *
 * Usage: {@code java -cp cryo-test-programs.jar dev.cryo.testprograms.HeapServer PORT LIVE_MB
 * [ADDRESS]}, listening on ADDRESS (default: the loopback address). The live data is 1 MiB byte
 * arrays of pseudo-random bytes drawn from 16 values, which compress to about half, as a heap of
 * real objects does more or less. It prints "ready PORT" once it serves.
 *
 * <p>With {@code -Dheap.rebind=true} and the cryo agent, it stops its HTTP server before each
 * checkpoint and starts it again, on the same port, after a restore (or when the checkpoint lets it
 * run on), as CRaC-aware servers do: a checkpoint then holds no listening socket, which a standby
 * restored beside the running server ({@code cryo run --standby}) needs. Without the agent the
 * property is ignored, so that cold starts run the same command.
 */
public final class HeapServer {
  private static final int CHUNK = 1 << 20;
  private static final long TICK_MILLIS = 1;
  private static final int BACKLOG = 64;

  private HeapServer() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: HeapServer PORT LIVE_MB [ADDRESS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    List<byte[]> live = ballast(Integer.parseInt(args[1]));
    AtomicLong counter = new AtomicLong();
    AtomicLong longestGap = new AtomicLong();
    Thread ticker = new Thread(() -> tick(longestGap), "pause-ticker");
    ticker.setDaemon(true);
    ticker.start();
    Churn churn = new Churn(live);
    Map<String, HttpHandler> contexts = new LinkedHashMap<>();
    contexts.put("/increment", ex -> TextReply.send(ex, counter.incrementAndGet() + "\n"));
    contexts.put("/count", ex -> TextReply.send(ex, counter.get() + "\n"));
    contexts.put("/pause", ex -> TextReply.send(ex, longestGap.getAndSet(0) / 1000 + "\n"));
    contexts.put("/live", ex -> TextReply.send(ex, live.size() + "\n"));
    contexts.put(
        "/churn", ex -> TextReply.send(ex, churn.rewrite(ex.getRequestURI().getQuery()) + "\n"));
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(
                args.length > 2 ? InetAddress.getByName(args[2]) : InetAddress.getLoopbackAddress(),
                port),
            BACKLOG);
    contexts.forEach(server::createContext);
    Executor executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.start();
    if (Boolean.getBoolean("heap.rebind") && cryoRuntimePresent()) {
      Rebinding.register(server, executor, contexts);
    }
    System.out.println("ready " + server.getAddress().getPort());
    System.out.flush();
    if (Boolean.getBoolean("heap.rebind")) {
      // While the server is stopped for a checkpoint, none of its threads keeps the JVM alive.
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the cryo agent put its runtime on the class path. */
  private static boolean cryoRuntimePresent() {
    try {
      Class.forName("dev.cryo.runtime.Cryo", false, HeapServer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Stops the server before a checkpoint and starts an equal one after it: the same address,
   * handlers and executor. A class of its own, so that only a rebinding server loads the cryo
   * runtime's classes.
   */
  private static final class Rebinding implements CheckpointResource {
    private final InetSocketAddress address;
    private final Executor executor;
    private final Map<String, HttpHandler> contexts;
    private volatile HttpServer server;

    private Rebinding(HttpServer server, Executor executor, Map<String, HttpHandler> contexts) {
      this.address = server.getAddress();
      this.executor = executor;
      this.contexts = contexts;
      this.server = server;
    }

    static void register(HttpServer server, Executor executor, Map<String, HttpHandler> contexts) {
      Cryo.register(new Rebinding(server, executor, contexts));
    }

    @Override
    public void beforeCheckpoint() {
      server.stop(0);
    }

    @Override
    public void afterRestore(Resumption resumption) throws IOException {
      HttpServer again = HttpServer.create(address, BACKLOG);
      contexts.forEach(again::createContext);
      again.setExecutor(executor);
      again.start();
      server = again;
    }

    @Override
    public String toString() {
      return "HeapServer's HTTP listener";
    }
  }

  private static List<byte[]> ballast(int megabytes) {
    SplittableRandom random = new SplittableRandom(42);
    List<byte[]> chunks = new ArrayList<>(megabytes);
    for (int i = 0; i < megabytes; i++) {
      byte[] chunk = new byte[CHUNK];
      fill(chunk, random);
      chunks.add(chunk);
    }
    return chunks;
  }

  /** Fills {@code chunk} with pseudo-random bytes drawn from 16 values. */
  private static void fill(byte[] chunk, SplittableRandom random) {
    for (int j = 0; j < chunk.length; j += 8) {
      long bits = random.nextLong();
      for (int k = 0; k < 8; k++) {
        chunk[j + k] = (byte) ((bits >>> (k * 8)) & 0x0f);
      }
    }
  }

  /**
   * Changes a share of the live data without moving it: the arrays stay the same objects at the
   * same addresses, only their bytes are new, so a checkpoint after it differs from the one before
   * in those arrays' pages alone. Every call draws other arrays and other bytes.
   */
  private static final class Churn {
    private final List<byte[]> live;
    private final SplittableRandom random = new SplittableRandom(7);

    Churn(List<byte[]> live) {
      this.live = live;
    }

    /** Rewrites the share {@code percent=P} of {@code query} names; returns how many arrays. */
    synchronized int rewrite(String query) {
      double percent = 0;
      for (String parameter : query == null ? new String[0] : query.split("&")) {
        if (parameter.startsWith("percent=")) {
          percent = Double.parseDouble(parameter.substring("percent=".length()));
        }
      }
      int count = (int) Math.min(live.size(), Math.ceil(live.size() * percent / 100));
      List<Integer> indices = new ArrayList<>(live.size());
      for (int i = 0; i < live.size(); i++) {
        indices.add(i);
      }
      for (int i = 0; i < count; i++) {
        int pick = i + random.nextInt(indices.size() - i);
        Collections.swap(indices, i, pick);
        fill(live.get(indices.get(i)), random);
      }
      return count;
    }
  }

  private static void tick(AtomicLong longestGap) {
    long last = System.nanoTime();
    while (true) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      longestGap.accumulateAndGet(now - last, Math::max);
      last = now;
    }
  }
}
