package dev.cryo.node;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.tls.ClusterTls;
import dev.cryo.node.placement.NodeFacts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code cryo} commands do with a cluster from any host: submit a program, list programs
 * and nodes, read a program's events and output, stop it. Everything but the output goes through
 * the coordination store; the output comes from the owner's {@link NodeApi}, over mutual TLS.
 */
public final class ClusterClient {
  private final CoordinationStore store;
  private final ClusterTls tls;

  public ClusterClient(CoordinationStore store, ClusterTls tls) {
    this.store = store;
    this.tls = tls;
  }

  /**
   * Records a new program; placement starts it on a node that fits. A program of the same name that
   * was stopped is replaced.
   *
   * @throws ProgramNameTakenException if a program of that name exists and was not stopped
   * @throws AddressTakenException if another program has that address
   */
  public void submit(ClusterProgram program) {
    String name = program.name();
    Optional<KeyValue> existing = store.get(ClusterKeys.spec(name));
    if (existing.isPresent()) {
      ClusterView view = new ClusterView(store.range(ClusterKeys.program(name)));
      if (!view.stopRequested(name) || view.owner(name).isPresent()) {
        throw new ProgramNameTakenException(name);
      }
      store.deletePrefix(ClusterKeys.program(name));
      releaseAddress(name, ClusterJson.read(existing.get().value(), ClusterProgram.class));
    }
    List<Compare> compares = new ArrayList<>(List.of(Compare.absent(ClusterKeys.spec(name))));
    List<TxnOp> writes =
        new ArrayList<>(List.of(TxnOp.put(ClusterKeys.spec(name), ClusterJson.write(program))));
    if (program.address() != null) {
      compares.add(Compare.absent(ClusterKeys.address(program.address())));
      writes.add(TxnOp.put(ClusterKeys.address(program.address()), name));
    }
    if (store.txn(compares, writes, List.of()).succeeded()) {
      new ClusterEvents(store, "cli", false)
          .append(name, "submitted", "submitted from " + program.submittedFrom());
      return;
    }
    if (program.address() != null) {
      Optional<KeyValue> holder = store.get(ClusterKeys.address(program.address()));
      if (holder.isPresent()) {
        throw new AddressTakenException(program.address(), holder.get().value());
      }
    }
    throw new ProgramNameTakenException(name);
  }

  /**
   * Frees the address a stopped program still holds: its owner may have been lost (cut off, its
   * lease expired) after the stop was asked and before it released the address.
   */
  private void releaseAddress(String name, ClusterProgram stopped) {
    if (stopped.address() != null) {
      String key = ClusterKeys.address(stopped.address());
      store.txn(List.of(Compare.valueIs(key, name)), List.of(TxnOp.delete(key)), List.of());
    }
  }

  /** The cluster as it is now. */
  public ClusterView view() {
    return new ClusterView(store.range(ClusterKeys.ROOT));
  }

  /** A live node's facts. */
  public NodeFacts node(String name) {
    KeyValue kv =
        store.get(ClusterKeys.node(name)).orElseThrow(() -> new UnknownNodeException(name));
    return ClusterJson.read(kv.value(), NodeFacts.class);
  }

  public List<ClusterEvent> events(String program) {
    requireProgram(program);
    return new ClusterEvents(store, "cli", false).read(program);
  }

  /**
   * Asks the program's owner to stop it for good. A program that no node runs (it waits for one) is
   * withdrawn here at once, and its address freed.
   */
  public void stop(String program) {
    ClusterProgram spec =
        ClusterJson.read(
            store
                .get(ClusterKeys.spec(program))
                .orElseThrow(() -> new UnknownProgramException(program))
                .value(),
            ClusterProgram.class);
    String stopped =
        ClusterJson.write(
            new ProgramStatus(null, "stopped", 0, Instant.now().toString(), "stopped as asked"));
    List<TxnOp> withdraw =
        new ArrayList<>(
            List.of(
                TxnOp.put(ClusterKeys.stop(program), "requested"),
                TxnOp.put(ClusterKeys.status(program), stopped)));
    if (spec.address() != null) {
      withdraw.add(TxnOp.delete(ClusterKeys.address(spec.address())));
    }
    boolean withdrawn =
        store
            .txn(
                List.of(Compare.absent(ClusterKeys.owner(program))),
                withdraw,
                List.of(TxnOp.put(ClusterKeys.stop(program), "requested")))
            .succeeded();
    if (withdrawn) {
      new ClusterEvents(store, "cli", false)
          .append(program, "stopped", "withdrawn before any node ran it");
    }
  }

  /**
   * Asks the program's owner for a checkpoint now, and waits for its answer (an event naming the
   * request).
   *
   * @return the answer: its type says whether the checkpoint was taken and published
   */
  public ClusterEvent checkpoint(String program, Duration wait) throws InterruptedException {
    requireProgram(program);
    if (store.get(ClusterKeys.owner(program)).isEmpty()) {
      throw new NotRunningException(program);
    }
    String request = Long.toHexString(System.nanoTime()) + "-" + ProcessHandle.current().pid();
    store.put(ClusterKeys.checkpointRequest(program), request, Lease.NONE);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ClusterEvent> answer =
          events(program).stream()
              .filter(e -> e.message().contains("(request " + request + ")"))
              .findFirst();
      if (answer.isPresent()) {
        return answer.get();
      }
      Thread.sleep(200);
    }
    throw new CoordinationException(
        "the node running "
            + program
            + " did not answer the checkpoint request within "
            + wait.toSeconds()
            + " s; 'cryo events "
            + program
            + " --cluster' says what it is doing");
  }

  /** The last {@code bytes} of the program's stdout or stderr, from the node that runs it. */
  public byte[] logs(String program, String stream, int bytes) throws IOException {
    requireProgram(program);
    String owner =
        store
            .get(ClusterKeys.owner(program))
            .map(KeyValue::value)
            .orElseThrow(() -> new NotRunningException(program));
    NodeFacts facts = node(owner);
    URI uri =
        URI.create(
            "https://"
                + facts.apiAddress()
                + "/v1/programs/"
                + program
                + "/logs?stream="
                + stream
                + "&bytes="
                + bytes);
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(tls.sslContext())
            .sslParameters(tls.clientParameters())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException(
            "node "
                + owner
                + " answered "
                + response.statusCode()
                + ": "
                + new String(response.body()).trim());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking node " + owner);
    }
  }

  private void requireProgram(String program) {
    if (store.get(ClusterKeys.spec(program)).isEmpty()) {
      throw new UnknownProgramException(program);
    }
  }

  /** No program of that name in the cluster. */
  public static final class UnknownProgramException extends CoordinationException {
    UnknownProgramException(String program) {
      super("no program " + program + " in the cluster; 'cryo ps --cluster' lists them");
    }
  }

  /** No live node of that name. */
  public static final class UnknownNodeException extends CoordinationException {
    UnknownNodeException(String node) {
      super("no live node " + node + " in the cluster; 'cryo cluster status' lists them");
    }
  }

  /** The program has no owner now, so nothing runs it. */
  public static final class NotRunningException extends CoordinationException {
    NotRunningException(String program) {
      super(
          program + " runs on no node right now; 'cryo events " + program + " --cluster' says why");
    }
  }

  /** A program of that name exists. */
  public static final class ProgramNameTakenException extends CoordinationException {
    ProgramNameTakenException(String program) {
      super(
          "a program named "
              + program
              + " already runs in the cluster; choose another --name, or 'cryo stop "
              + program
              + " --cluster' first");
    }
  }

  /** Another program holds the address. */
  public static final class AddressTakenException extends CoordinationException {
    AddressTakenException(String address, String holder) {
      super(
          "address "
              + address
              + " is already the service address of "
              + holder
              + "; choose another --address, or stop "
              + holder
              + " first");
    }
  }
}
