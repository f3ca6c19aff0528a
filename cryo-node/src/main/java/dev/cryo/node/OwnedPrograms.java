package dev.cryo.node;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.cluster.store.Compare;
import dev.cryo.cluster.store.CoordinationException;
import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Lease;
import dev.cryo.cluster.store.TxnOp;
import dev.cryo.images.ImageStoreException;
import dev.cryo.node.address.AddressMover;
import dev.cryo.supervisor.Event;
import dev.cryo.supervisor.RunDirectory;
import dev.cryo.supervisor.RunNameTakenException;
import dev.cryo.supervisor.RunNotFoundException;
import dev.cryo.supervisor.RunSpec;
import dev.cryo.supervisor.RunState;
import dev.cryo.supervisor.RunStatus;
import dev.cryo.supervisor.Runs;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The owner's side of this node: for each program the node owns, a local run ({@code cryo run}'s
 * machinery) in its own network namespace with its service address, started from the program's
 * published checkpoint; each checkpoint its run uploads is published, on the condition that the
 * node still owns the program in the same epoch; its run's events go to the cluster's log. Runs of
 * programs the node no longer owns are stopped and their addresses released.
 */
final class OwnedPrograms {
  private final CoordinationStore store;
  private final String node;
  private final Membership membership;
  private final Runs runs;
  private final ClusterRepository repository;
  private final RunSpec.Remote remote;
  private final AddressMover addresses;
  private final SupervisorStarter supervisors;
  private final ProgramRecords records;
  private final ClusterEvents events;
  private final CheckpointPublisher publisher;
  private final RequestedCheckpoints requests;

  OwnedPrograms(
      CoordinationStore store,
      String node,
      Membership membership,
      Runs runs,
      RunSpec.Remote remote,
      ClusterRepository repository,
      AddressMover addresses,
      SupervisorStarter supervisors,
      ProgramRecords records,
      ClusterEvents events,
      RunCheckpointer checkpointer) {
    this.store = store;
    this.node = node;
    this.membership = membership;
    this.runs = runs;
    this.remote = remote;
    this.repository = repository;
    this.addresses = addresses;
    this.supervisors = supervisors;
    this.records = records;
    this.events = events;
    this.publisher = new CheckpointPublisher(store, node, events);
    this.requests = new RequestedCheckpoints(store, checkpointer, repository, publisher, events);
  }

  /** Brings the node's runs in line with what it owns in {@code view}. */
  void reconcile(ClusterView view) throws IOException {
    Set<String> owned = new HashSet<>();
    for (String program : view.programNames()) {
      Optional<KeyValue> owner = view.owner(program);
      if (owner.isPresent()
          && owner.get().value().equals(node)
          && owner.get().lease() == membership.lease()) {
        owned.add(program);
        try {
          carryOn(view, program, owner.get().createRevision());
        } catch (IOException | ImageStoreException | CoordinationException e) {
          events.append(
              program, "node-error", "could not run it here: " + FailureMessages.describe(e));
        }
      }
    }
    for (String program : records.programs()) {
      if (!owned.contains(program)) {
        retire(program, "this node no longer owns it");
      }
    }
  }

  /** Stops every run of the node: its lease was lost, and with it everything it owned. */
  void retireAll(String why) throws IOException {
    for (String program : records.programs()) {
      retire(program, why);
    }
  }

  private void carryOn(ClusterView view, String program, long epoch)
      throws IOException, ImageStoreException {
    ClusterProgram spec = view.spec(program).orElseThrow();
    Optional<ProgramRecord> record = records.get(program).filter(r -> r.epoch() == epoch);
    if (view.stopRequested(program)) {
      stop(spec, epoch, record.isPresent());
      return;
    }
    if (record.isEmpty()) {
      if (!membership.fenceExpired()) {
        start(view, spec, epoch);
      }
      return;
    }
    RunDirectory run = findRun(program).orElse(null);
    if (run == null) {
      records.remove(program);
      return;
    }
    ProgramRecord current = forwardEvents(program, run, epoch, record.get());
    Optional<RunState> state = run.state();
    if (state.isPresent()
        && state.get().status() == RunStatus.FENCED
        && !membership.fenceExpired()) {
      // The fence ran out while the lease did not (the node was slow to renew, or etcd was
      // electing a leader): the program is still this node's, so it comes back from its
      // published checkpoint, as it would on any other node.
      events.append(
          program,
          "unfenced",
          node
              + " still owns it after its fence ran out; bringing it back from its newest checkpoint");
      records.remove(program);
      return;
    }
    if (state.isPresent()) {
      reportStatus(view, program, state.get());
      if (state.get().status() == RunStatus.RUNNING) {
        view.part(program, "checkpoint-request")
            .ifPresent(request -> requests.consider(program, epoch, request.value()));
      }
      if (state.get().status() == RunStatus.RUNNING && !current.announced()) {
        if (spec.address() != null) {
          addresses.announce(program, InetAddress.getByName(spec.address()));
        }
        records.put(program, current.markAnnounced());
      }
    }
    if (!run.isSupervised()
        && state.map(s -> !s.status().isFinal()).orElse(true)
        && !membership.fenceExpired()) {
      // Its supervisor died (or the host restarted it as it was): a new one adopts the program.
      supervisors.start(run);
    }
  }

  private void start(ClusterView view, ClusterProgram spec, long epoch)
      throws IOException, ImageStoreException {
    String program = spec.name();
    Optional<RunDirectory> previous = findRun(program);
    if (previous.isPresent()
        && !previous.get().state().map(s -> s.status().isFinal()).orElse(false)) {
      // A run of an earlier epoch (or of no epoch) still winds down.
      previous.get().requestStop();
      return;
    }
    // The checkpoint comes while the address is checked and set up: both take a while.
    Optional<PublishedCheckpoint> published = view.checkpoint(program);
    CompletableFuture<String> fetched =
        published.isEmpty()
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.supplyAsync(() -> fetchUnchecked(program, published.get()));
    String network = null;
    if (spec.address() != null) {
      InetAddress ip = InetAddress.getByName(spec.address());
      try {
        addresses.release(program, ip);
        network = addresses.claim(program, ip).toString();
      } catch (IOException e) {
        fetched.exceptionally(ignored -> null).join();
        throw e;
      }
    }
    String startFrom;
    try {
      startFrom = fetched.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedCheckpointException unchecked) {
        throw unchecked.getCause();
      }
      throw e;
    }
    RunSpec runSpec =
        ClusterRunSpecs.of(
            spec,
            remote,
            network,
            membership.fence().toString(),
            startFrom,
            Instant.now().toString());
    RunDirectory run;
    try {
      run = runs.create(runSpec);
    } catch (RunNameTakenException e) {
      events.append(program, "node-error", e.getMessage());
      return;
    }
    records.put(
        program, new ProgramRecord(epoch, run.events().read().size(), false, spec.address()));
    events.append(
        program,
        "starting",
        startFrom == null
            ? "starting it afresh on " + node + " (no checkpoint published yet)"
            : "restoring it on " + node + " from checkpoint " + startFrom);
    supervisors.start(run);
  }

  private String fetchUnchecked(String program, PublishedCheckpoint published) {
    try {
      return fetch(program, published);
    } catch (ImageStoreException e) {
      throw new UncheckedCheckpointException(e);
    }
  }

  /** An image store failure carried out of a future. */
  private static final class UncheckedCheckpointException extends RuntimeException {
    UncheckedCheckpointException(ImageStoreException cause) {
      super(cause);
    }

    @Override
    public synchronized ImageStoreException getCause() {
      return (ImageStoreException) super.getCause();
    }
  }

  /** Pulls the published checkpoint into the local store, unless it is there already. */
  private String fetch(String program, PublishedCheckpoint published) throws ImageStoreException {
    ClusterRepository.Fetched fetched = repository.fetch(published.name());
    events.append(
        program,
        fetched.pulledMillis() < 0 ? "prefetched" : "pulled",
        fetched.pulledMillis() < 0
            ? "checkpoint "
                + published.name()
                + " (taken on "
                + published.node()
                + ") was here already, pulled ahead of time"
            : String.format(
                "pulled checkpoint %s (taken on %s) from %s in %d ms",
                published.name(), published.node(), remote.location(), fetched.pulledMillis()));
    return fetched.id();
  }

  /**
   * Hands the run's new events to the cluster, and publishes each checkpoint it uploaded while this
   * node still owns the program in {@code epoch}.
   */
  private ProgramRecord forwardEvents(
      String program, RunDirectory run, long epoch, ProgramRecord record) throws IOException {
    List<Event> all = run.events().read();
    for (int i = record.eventsSeen(); i < all.size(); i++) {
      Event event = all.get(i);
      events.append(program, event.type(), event.message());
      if (event.type().equals("uploaded") && event.checkpoint() != null) {
        publisher.publish(program, epoch, event.checkpoint());
      }
    }
    if (all.size() == record.eventsSeen()) {
      return record;
    }
    ProgramRecord updated = record.withEventsSeen(all.size());
    records.put(program, updated);
    return updated;
  }

  private void reportStatus(ClusterView view, String program, RunState state) {
    ProgramStatus status =
        new ProgramStatus(
            node, state.status().label(), state.mainPid(), state.since(), state.detail());
    Optional<ProgramStatus> known = view.status(program);
    if (known.isEmpty() || !known.get().equals(status)) {
      store.put(ClusterKeys.status(program), ClusterJson.write(status), membership.lease());
    }
  }

  /** Stops the program for good, as {@code cryo stop --cluster} asked. */
  private void stop(ClusterProgram spec, long epoch, boolean runsHere) throws IOException {
    String program = spec.name();
    Optional<RunDirectory> run = findRun(program);
    if (runsHere && run.isPresent()) {
      Optional<RunState> state = run.get().state();
      if (state.isEmpty() || !state.get().status().isFinal()) {
        run.get().requestStop();
        return;
      }
    }
    String owner = ClusterKeys.owner(program);
    List<TxnOp> release =
        new ArrayList<>(
            List.of(
                TxnOp.delete(owner),
                TxnOp.put(
                    ClusterKeys.status(program),
                    ClusterJson.write(
                        new ProgramStatus(
                            node,
                            RunStatus.STOPPED.label(),
                            0,
                            Instant.now().toString(),
                            "stopped as asked")),
                    Lease.NONE)));
    if (spec.address() != null) {
      release.add(TxnOp.delete(ClusterKeys.address(spec.address())));
    }
    store.txn(
        List.of(Compare.valueIs(owner, node), Compare.createdAt(owner, epoch)), release, List.of());
    if (spec.address() != null) {
      addresses.release(program, InetAddress.getByName(spec.address()));
    }
    records.remove(program);
    events.append(program, "stopped", "stopped on " + node + " as asked (cryo stop)");
  }

  /** Ends the node's run of a program it no longer owns, and gives its address up. */
  private void retire(String program, String why) throws IOException {
    Optional<ProgramRecord> record = records.get(program);
    Optional<RunDirectory> run = findRun(program);
    if (run.isPresent()) {
      Optional<RunState> state = run.get().state();
      if (state.isEmpty() || !state.get().status().isFinal()) {
        run.get().requestStop();
        if (!run.get().isSupervised()) {
          // Its supervisor died with the host or the node: a new one finds the request (or the
          // expired fence) at once and ends the run, rather than bringing the program back.
          supervisors.start(run.get());
        }
      }
    }
    if (record.isPresent() && record.get().address() != null) {
      addresses.release(program, InetAddress.getByName(record.get().address()));
    }
    records.remove(program);
    events.append(program, "released", "no longer run on " + node + ": " + why);
  }

  private Optional<RunDirectory> findRun(String program) throws IOException {
    try {
      return Optional.of(runs.find(program));
    } catch (RunNotFoundException e) {
      return Optional.empty();
    }
  }
}
