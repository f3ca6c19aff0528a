package dev.cryo.node;

import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.cluster.store.Watch;
import dev.cryo.images.ImageStore;
import dev.cryo.linux.PrivateFiles;
import dev.cryo.node.address.AddressMover;
import dev.cryo.node.placement.FileFingerprints;
import dev.cryo.node.placement.NodeFacts;
import dev.cryo.supervisor.RemoteCheckpoints;
import dev.cryo.supervisor.Runs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code cryo node}: one per host. It joins the cluster with a lease ({@link Membership}), answers
 * which programs it could run ({@link FitAnswers}), places programs that have no owner when it is
 * the leader ({@link Placement}), and runs the programs it owns ({@link OwnedPrograms}).
 *
 * <p>It is a loop over views of the whole cluster ({@link ClusterView}), woken by a watch on the
 * cluster's keys and at least every {@link #RESYNC}: simple to reason about, since every action is
 * a transaction over what the view showed. Renewal runs on a thread of its own, so that a slow
 * restore or pull never delays it.
 */
public final class NodeDaemon implements AutoCloseable {
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private static final Duration FACTS_EVERY = Duration.ofSeconds(15);
  private static final Duration PREFETCH_SPACING = Duration.ofSeconds(10);

  private final CoordinationStore store;
  private final String node;
  private final Membership membership;
  private final Supplier<NodeFacts> facts;
  private final FitAnswers fits;
  private final Placement placement;
  private final OwnedPrograms owned;
  private final Prefetcher prefetcher;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean running = true;
  private volatile boolean leaseLost;
  private Thread renewer;
  private Watch watch;

  NodeDaemon(
      CoordinationStore store,
      String node,
      Membership membership,
      Supplier<NodeFacts> facts,
      FitAnswers fits,
      Placement placement,
      OwnedPrograms owned,
      Prefetcher prefetcher) {
    this.store = store;
    this.node = node;
    this.membership = membership;
    this.facts = facts;
    this.fits = fits;
    this.placement = placement;
    this.owned = owned;
    this.prefetcher = prefetcher;
  }

  /** Runs until {@link #close()}: joins, then keeps the node's part of the cluster. */
  public void run() throws IOException {
    boolean resumed = membership.join();
    membership.register(ClusterJson.write(facts.get()));
    membership.removeOldFences();
    System.err.printf(
        "cryo node %s: %s lease %x, renewed every %d ms%n",
        node,
        resumed ? "took up its" : "joined with",
        membership.lease(),
        membership.renewInterval().toMillis());
    renewer = new Thread(this::renewLoop, "cryo-node-renewal");
    renewer.setDaemon(true);
    renewer.start();
    long nextFacts = System.nanoTime() + FACTS_EVERY.toNanos();
    while (running) {
      try {
        if (leaseLost) {
          rejoin();
        }
        ClusterView view = new ClusterView(store.range(ClusterKeys.ROOT));
        ensureWatch(view.revision());
        if (System.nanoTime() > nextFacts) {
          membership.register(ClusterJson.write(facts.get()));
          nextFacts = System.nanoTime() + FACTS_EVERY.toNanos();
        }
        if (!membership.fenceExpired()) {
          campaign(view);
          fits.answer(view, membership.lease());
          if (isLeader(view)) {
            placement.place(view);
          }
        }
        owned.reconcile(view);
        if (!membership.fenceExpired()) {
          prefetcher.consider(view);
        }
      } catch (CoordinationException e) {
        System.err.println("cryo node " + node + ": " + e.getMessage());
        closeWatch();
      }
      try {
        wake.tryAcquire(RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void renewLoop() {
    while (running) {
      if (!leaseLost && !membership.renew()) {
        leaseLost = true;
        wake.release();
      }
      try {
        Thread.sleep(membership.renewInterval().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * After the lease was lost: everything the node owned is someone else's now. Its runs have been
   * fenced by their supervisors (or are stopped here), and the node joins again as new.
   */
  private void rejoin() throws IOException {
    owned.retireAll("its node " + node + " lost its lease (cut off from etcd for too long)");
    membership.join();
    membership.register(ClusterJson.write(facts.get()));
    membership.removeOldFences();
    leaseLost = false;
    System.err.printf(
        "cryo node %s: lost its lease; joined again with lease %x%n", node, membership.lease());
  }

  private void campaign(ClusterView view) {
    if (view.leader().isEmpty()) {
      store.txn(
          List.of(Compare.absent(ClusterKeys.LEADER)),
          List.of(TxnOp.put(ClusterKeys.LEADER, node, membership.lease())),
          List.of());
    }
  }

  private boolean isLeader(ClusterView view) {
    Optional<String> leader = view.leader();
    return leader.isPresent() && leader.get().equals(node);
  }

  private void ensureWatch(long revision) {
    if (watch == null) {
      watch =
          store.watch(
              ClusterKeys.ROOT,
              revision,
              event -> wake.release(),
              cause -> {
                closeWatch();
                wake.release();
              });
    }
  }

  private synchronized void closeWatch() {
    if (watch != null) {
      try {
        watch.close();
      } catch (RuntimeException ignored) {
        // Already broken.
      }
      watch = null;
    }
  }

  /** Stops the loop; the node's programs keep running under their supervisors. */
  @Override
  public void close() {
    running = false;
    wake.release();
    closeWatch();
    prefetcher.close();
    if (renewer != null) {
      renewer.interrupt();
    }
  }

  /** Leaves the cluster: revokes the lease, so that others take over at once. */
  public void leave() {
    membership.leave();
  }

  /**
   * A node wired to its engines: the coordination store, the local image store, the remote
   * repository, the way addresses move on this network, and the way supervisors start.
   */
  public static NodeDaemon create(
      NodeSettings settings,
      CoordinationStore store,
      ImageStore images,
      RemoteCheckpoints.Opener remote,
      AddressMover addresses,
      SupervisorStarter supervisors,
      RunCheckpointer checkpointer,
      Supplier<NodeFacts> facts,
      FileFingerprints fingerprints)
      throws IOException {
    PrivateFiles.privateDirectory(settings.stateDir());
    ClusterEvents events = new ClusterEvents(store, settings.name(), true);
    Membership membership =
        new Membership(store, settings.name(), settings.leaseTtl(), settings.stateDir());
    ClusterRepository repository = new ClusterRepository(images, remote);
    OwnedPrograms owned =
        new OwnedPrograms(
            store,
            settings.name(),
            membership,
            new Runs(images.root()),
            settings.remote(),
            repository,
            addresses,
            supervisors,
            new ProgramRecords(settings.stateDir()),
            events,
            checkpointer);
    return new NodeDaemon(
        store,
        settings.name(),
        membership,
        facts,
        new FitAnswers(store, settings.name(), facts, fingerprints),
        new Placement(store, events),
        owned,
        new Prefetcher(settings.name(), repository, PREFETCH_SPACING));
  }
}
