package dev.cryo.repository;

import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CheckpointRepository;
import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.JsonMappers;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints kept on an object store that several hosts share, so that they outlive the host that
 * took them. Each image file is cut into content-defined chunks; a chunk is stored once, under an
 * id keyed with the repository's key, compressed and encrypted, so successive checkpoints of one
 * program upload only what changed and the store never sees a byte of the process's memory. A
 * checkpoint's manifest, sealed too, is written after all of its chunks: a checkpoint is visible
 * whole or not at all. Reading authenticates every object before anything is restored.
 *
 * <p>The local {@link ImageStore} stays the working copy: {@link #push} sends a published local
 * checkpoint, {@link #pull} brings one into a local store, checked, before CRIU may read it.
 */
public final class RemoteRepository implements CheckpointRepository {
  /** How long a push waits for a prune that holds the repository. */
  static final Duration PUSH_WAIT = Duration.ofMinutes(2);

  private final ObjectStore store;
  private final RepositoryKey key;
  private final SealedObjects sealing;
  private final Chunker chunker;
  private final RepositoryLocks locks;
  private final int parallelism;

  private RemoteRepository(ObjectStore store, RepositoryKey key, RepositoryConfig config) {
    this.store = store;
    this.key = key;
    this.sealing = new SealedObjects(key);
    this.chunker = Chunker.keyed(key, config.chunkSizes());
    this.locks = new RepositoryLocks(store);
    this.parallelism = Integer.getInteger("cryo.repository.parallelism", 8);
  }

  /**
   * Makes a new repository on {@code store}: creates the bucket or directory if needed, writes a
   * new key to {@code keyFile} (sealed with {@code passphrase} if given) and then the repository's
   * configuration. The key is written first, so that no repository exists whose key was never
   * saved.
   *
   * @throws ImageStoreException when {@code store} holds a repository already, or the key file
   *     exists
   */
  public static RemoteRepository init(ObjectStore store, Path keyFile, Optional<char[]> passphrase)
      throws ImageStoreException {
    store.createIfMissing();
    if (store.exists(ObjectKeys.CONFIG)) {
      throw new RepositoryExistsException(
          store.location() + " holds a repository already; use it with its key, or choose another");
    }
    RepositoryConfig config =
        new RepositoryConfig(RepositoryConfig.newRepositoryId(), ChunkSizes.DEFAULT);
    RepositoryKey key = RepositoryKey.generate(config.repositoryId());
    key.write(keyFile, passphrase);
    store.put(ObjectKeys.CONFIG, config.encode(key));
    return new RemoteRepository(store, key, config);
  }

  /**
   * Opens the repository on {@code store} with its key.
   *
   * @param keyName how to name the key in messages (its file)
   * @throws NotARepositoryException when {@code store} holds no repository
   * @throws WrongKeyException when {@code key} belongs to another repository
   */
  public static RemoteRepository open(ObjectStore store, RepositoryKey key, String keyName)
      throws ImageStoreException {
    byte[] config;
    try {
      config = store.get(ObjectKeys.CONFIG);
    } catch (ObjectNotFoundException e) {
      throw new NotARepositoryException(
          store.location()
              + " holds no cryo repository; create one with 'cryo repo init "
              + store.location()
              + "'");
    }
    return new RemoteRepository(
        store, key, RepositoryConfig.decode(config, key, store.location(), keyName));
  }

  /** Where the repository is: {@code s3://bucket/prefix} or a directory. */
  public String location() {
    return store.location();
  }

  /** A checkpoint in the repository, or the id of one whose manifest cannot be read. */
  public record Entry(String id, Manifest manifest, String problem) {
    public boolean readable() {
      return manifest != null;
    }
  }

  /** Every checkpoint in the repository, oldest first; those whose manifest is damaged last. */
  public List<Entry> entries() throws ImageStoreException {
    return listed().stream()
        .map(l -> new Entry(l.id(), l.remote() == null ? null : l.remote().manifest(), l.problem()))
        .toList();
  }

  /** A checkpoint's id with its manifest, or with why the manifest cannot be read. */
  private record Listed(String id, RemoteManifest remote, String problem) {}

  /** Reads every manifest, once; in the order of {@link #entries}. */
  private List<Listed> listed() throws ImageStoreException {
    List<Listed> listed = new ArrayList<>();
    for (ObjectStore.StoredObject object : store.list(ObjectKeys.CHECKPOINTS)) {
      String id = ObjectKeys.checkpointIdOf(object.key());
      try {
        listed.add(new Listed(id, readManifest(id), null));
      } catch (CorruptObjectException | ObjectNotFoundException e) {
        listed.add(new Listed(id, null, e.getMessage()));
      }
    }
    listed.sort(
        Comparator.comparing(
                (Listed l) -> l.remote() != null ? l.remote().manifest().createdAt() : "~")
            .thenComparing(Listed::id));
    return listed;
  }

  @Override
  public List<Manifest> manifests() throws ImageStoreException {
    return entries().stream().filter(Entry::readable).map(Entry::manifest).toList();
  }

  @Override
  public Manifest describe(String reference) throws ImageStoreException {
    return find(reference).manifest();
  }

  @Override
  public void put(StoredCheckpoint checkpoint) throws ImageStoreException {
    push(checkpoint, TransferListener.NONE);
  }

  /**
   * Sends a published checkpoint of a local store: the chunks the repository lacks, then the
   * manifest. Nothing is visible until the manifest is written, and running it again after a
   * failure sends only what is still missing. Nothing if the repository has the checkpoint.
   */
  public TransferSummary push(StoredCheckpoint checkpoint, TransferListener listener)
      throws ImageStoreException {
    try (RepositoryLocks.Held ignored = locks.acquire(RepositoryLocks.Kind.PUSH, PUSH_WAIT)) {
      return new Push(store, key, sealing, chunker, parallelism).run(checkpoint, listener);
    }
  }

  @Override
  public StoredCheckpoint get(String reference, ImageStore workingCopy) throws ImageStoreException {
    return pull(reference, workingCopy, TransferListener.NONE).checkpoint();
  }

  /** A checkpoint brought into a local store, and what bringing it took. */
  public record Pulled(StoredCheckpoint checkpoint, TransferSummary summary) {}

  /**
   * Brings a checkpoint into {@code workingCopy}, unless it is there already: every chunk is
   * authenticated as it arrives and every file checked against the manifest before the checkpoint
   * is published locally.
   *
   * @throws CorruptObjectException when an object it needs is damaged or missing; nothing is
   *     published locally and nothing is deleted remotely
   */
  public Pulled pull(String reference, ImageStore workingCopy, TransferListener listener)
      throws ImageStoreException {
    RemoteManifest remote = find(reference);
    String id = remote.manifest().id();
    Optional<StoredCheckpoint> local = localCopy(workingCopy, id);
    if (local.isPresent()) {
      workingCopy.requireIntact(local.get());
      return new Pulled(
          local.get(), new TransferSummary(remote.manifest().imageBytes(), 0, 0, 0, Duration.ZERO));
    }
    return new Pull(store, key, sealing, parallelism).run(remote, workingCopy, listener);
  }

  /**
   * Removes a checkpoint's manifest, so that it is no longer listed. Its chunks stay until {@link
   * #prune}, which deletes those no other checkpoint uses.
   */
  @Override
  public void delete(String reference) throws ImageStoreException {
    String id;
    try {
      id = find(reference).manifest().id();
    } catch (CorruptObjectException e) {
      if (!store.exists(ObjectKeys.checkpoint(reference))) {
        throw e;
      }
      id = reference;
    }
    store.delete(ObjectKeys.checkpoint(id));
  }

  /**
   * Deletes every chunk that no checkpoint's manifest references, once no push is under way, and
   * the markers of pushes whose process died. Refuses, deleting nothing, when any manifest cannot
   * be read: its chunks cannot be told apart.
   *
   * @param wait how long to wait for pushes under way
   */
  public PruneSummary prune(Duration wait) throws ImageStoreException {
    try (RepositoryLocks.Held ignored = locks.acquire(RepositoryLocks.Kind.PRUNE, wait)) {
      return new Prune(store, sealing, this::readManifest, locks, parallelism).run();
    }
  }

  /** The checkpoint with this id, or the newest with this name. */
  private RemoteManifest find(String reference) throws ImageStoreException {
    if (store.exists(ObjectKeys.checkpoint(reference))) {
      return readManifest(reference);
    }
    Listed newest = null;
    Listed unreadable = null;
    for (Listed listed : listed()) {
      if (listed.remote() == null) {
        unreadable = listed;
      } else if (reference.equals(listed.remote().manifest().name())) {
        newest = listed;
      }
    }
    if (newest == null && unreadable != null) {
      // The damaged manifest may be the one with this name: not found would mislead.
      throw new CorruptObjectException(
          "no readable checkpoint named '"
              + reference
              + "' in "
              + location()
              + ", and "
              + unreadable.problem());
    }
    if (newest == null) {
      throw new CheckpointNotFoundException(reference, location());
    }
    return newest.remote();
  }

  RemoteManifest readManifest(String id) throws ImageStoreException {
    String objectKey = ObjectKeys.checkpoint(id);
    byte[] sealed = store.get(objectKey);
    try {
      RemoteManifest manifest =
          JsonMappers.lines().readValue(sealing.open(objectKey, sealed), RemoteManifest.class);
      if (manifest.format() != RemoteManifest.FORMAT) {
        throw new CorruptObjectException(
            "checkpoint "
                + id
                + " in "
                + location()
                + " was pushed by another version of cryo (format "
                + manifest.format()
                + "); use that version");
      }
      return manifest;
    } catch (GeneralSecurityException | IOException e) {
      throw new CorruptObjectException(
          "the manifest of checkpoint "
              + id
              + " in "
              + location()
              + " is damaged or was changed (it fails authentication); nothing was deleted",
          e);
    }
  }

  private static Optional<StoredCheckpoint> localCopy(ImageStore store, String id)
      throws ImageStoreException {
    try {
      return Optional.of(store.resolve(id));
    } catch (CheckpointNotFoundException e) {
      return Optional.empty();
    }
  }
}
