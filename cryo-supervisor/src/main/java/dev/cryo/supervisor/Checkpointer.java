package dev.cryo.supervisor;

import dev.cryo.checkpoint.CheckpointResult;
import dev.cryo.checkpoint.RestoreOptions;
import dev.cryo.checkpoint.RestoreResult;
import dev.cryo.checkpoint.Standby;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.repository.RemoteRepository;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checkpoint and restore of a run's program, and the store they use: what the supervisor needs of
 * cryo-checkpoint and cryo-images (and of cryo-repository, to fill the store from a remote one). An
 * interface so that its restart, fallback and retry decisions can be tested without CRIU; {@link
 * ServiceCheckpointer} is the real one.
 */
interface Checkpointer {
  /** Every checkpoint of the store, in no particular order. */
  List<StoredCheckpoint> list() throws ImageStoreException;

  /** The checkpoint with this id or name. */
  StoredCheckpoint resolve(String reference) throws ImageStoreException;

  /**
   * Checkpoints a run's program, leaving it running.
   *
   * @param name a name for the checkpoint, if it gets one
   * @param holdNewConnections whether the program's new clients are held from before it is told
   */
  CheckpointResult checkpoint(
      RunSpec spec,
      ProgramTree program,
      Optional<String> name,
      boolean holdNewConnections,
      Consumer<String> notices)
      throws Exception;

  RestoreResult restore(
      StoredCheckpoint checkpoint, RestoreOptions options, Consumer<String> notices)
      throws Exception;

  /** Restores a checkpoint as a standby, stopped, beside the running program. */
  Standby prepare(StoredCheckpoint checkpoint, RestoreOptions options, Consumer<String> notices)
      throws Exception;

  void delete(String id) throws ImageStoreException;

  /** Brings checkpoint {@code id} from {@code remote} into the store, checked. */
  RemoteRepository.Pulled pull(RemoteRepository remote, String id) throws ImageStoreException;
}
