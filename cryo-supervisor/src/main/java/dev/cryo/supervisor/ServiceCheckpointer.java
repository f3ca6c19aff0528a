package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointRequest;
import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.CheckpointService;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.checkpoint.Standby;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import dev.cryo.repository.TransferListener;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A run's checkpoints taken and restored by CRIU, through {@link CheckpointService}. */
final class ServiceCheckpointer implements Checkpointer {
  private final ImageStore store;
  private final CheckpointService service;

  ServiceCheckpointer(ImageStore store, CheckpointService service) {
    this.store = store;
    this.service = service;
  }

  @Override
  public List<StoredCheckpoint> list() throws ImageStoreException {
    return store.list();
  }

  @Override
  public StoredCheckpoint resolve(String reference) throws ImageStoreException {
    return store.resolve(reference);
  }

  /**
   * The tree checkpointed is the namespace's init with the program below it; the program is told,
   * and left running.
   */
  @Override
  public CheckpointResult checkpoint(
      RunSpec spec,
      ProgramTree program,
      Optional<String> name,
      boolean holdNewConnections,
      Consumer<String> notices)
      throws Exception {
    return service.checkpoint(
        new CheckpointRequest(
                program.initPid(),
                name.orElse(null),
                true,
                spec.timeout(),
                true,
                spec.name(),
                true,
                false,
                program.mainPid(),
                holdNewConnections)
            .withNetwork(spec.networkNamespace().orElse(null)),
        notices);
  }

  @Override
  public RestoreResult restore(
      StoredCheckpoint checkpoint, RestoreOptions options, Consumer<String> notices)
      throws Exception {
    return service.restore(checkpoint, options, notices);
  }

  @Override
  public Standby prepare(
      StoredCheckpoint checkpoint, RestoreOptions options, Consumer<String> notices)
      throws Exception {
    return service.prepare(checkpoint, options, notices);
  }

  @Override
  public void delete(String id) throws ImageStoreException {
    service.delete(id);
  }

  @Override
  public RemoteRepository.Pulled pull(RemoteRepository remote, String id)
      throws ImageStoreException {
    return remote.pull(id, store, TransferListener.NONE);
  }
}
