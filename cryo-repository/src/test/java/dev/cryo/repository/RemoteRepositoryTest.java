package dev.cryo.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.images.ImageStore;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteRepositoryTest {
  private static final int MIB = 1 << 20;

  @TempDir Path tmp;
  private ImageStore local;
  private ImageStore elsewhere;
  private DirectoryObjectStore objects;
  private Path keyFile;
  private RemoteRepository repository;

  @BeforeEach
  void createRepository() throws Exception {
    local = ImageStore.open(tmp.resolve("local"));
    elsewhere = ImageStore.open(tmp.resolve("elsewhere"));
    objects = new DirectoryObjectStore(tmp.resolve("remote"));
    keyFile = tmp.resolve("keys/remote.key");
    repository = RemoteRepository.init(objects, keyFile, Optional.empty());
  }

  @Test
  void aPushedCheckpointIsPulledIntoAnotherStoreWithIdenticalFiles() throws Exception {
    byte[] memory = Checkpoints.randomMemory(3 * MIB, 1);
    StoredCheckpoint pushed = Checkpoints.publish(local, "web", memory);

    TransferSummary push = repository.push(pushed, TransferListener.NONE);
    RemoteRepository.Pulled pulled = repository.pull("web", elsewhere, TransferListener.NONE);

    assertThat(push.transferredChunks()).as("chunks uploaded by a first push").isPositive();
    assertThat(pulled.checkpoint().manifest()).isEqualTo(pushed.manifest());
    assertThat(Files.readAllBytes(pulled.checkpoint().imagesDir().resolve("pages-1.img")))
        .as("pulled page image")
        .isEqualTo(memory);
    assertThat(elsewhere.verify(pulled.checkpoint())).as("problems of the pulled copy").isEmpty();
    assertThat(repository.manifests()).extracting(Manifest::name).containsExactly("web");
  }

  @Test
  void aPullReadsTheChunksOfAFileWithAFewRequests() throws Exception {
    StoredCheckpoint pushed =
        Checkpoints.publish(local, "web", Checkpoints.randomMemory(24 * MIB, 10));
    repository.push(pushed, TransferListener.NONE);
    FailingObjectStore counting = new FailingObjectStore(objects, Integer.MAX_VALUE);

    RemoteRepository.open(counting, key(), "key").pull("web", elsewhere, TransferListener.NONE);

    assertThat(counting.rangeReads.get())
        .as("requests to read 24 MiB in chunks of about 32 KiB, packed in order")
        .isLessThanOrEqualTo(3 + 24 / 8 + 2);
  }

  @Test
  void aSecondCheckpointWithFewChangesUploadsOnlyTheChangedChunks() throws Exception {
    byte[] memory = Checkpoints.randomMemory(8 * MIB, 2);
    TransferSummary first =
        repository.push(Checkpoints.publish(local, "one", memory), TransferListener.NONE);
    for (int i = 0; i < 64 * 1024; i++) {
      memory[5 * MIB + i] ^= 1; // 64 KiB of 8 MiB changed
    }
    TransferSummary second =
        repository.push(Checkpoints.publish(local, "two", memory), TransferListener.NONE);

    assertThat(second.transferredBytes())
        .as("bytes uploaded by the second push, against %d by the first", first.transferredBytes())
        .isLessThan(first.transferredBytes() / 8);
  }

  @Test
  void noObjectHoldsTheMemoryInTheClear() throws Exception {
    byte[] memory = Checkpoints.randomMemory(2 * MIB, 3);
    byte[] marker = "secret-marker-3f2a9c-password=hunter2".getBytes(StandardCharsets.US_ASCII);
    for (int at = 0; at + marker.length < memory.length; at += 256 * 1024) {
      System.arraycopy(marker, 0, memory, at, marker.length);
    }
    repository.push(Checkpoints.publish(local, "secret", memory), TransferListener.NONE);

    byte[] page = Arrays.copyOfRange(memory, 4096, 8192);
    for (Path object : objectFiles()) {
      byte[] content = Files.readAllBytes(object);
      assertThat(indexOf(content, marker)).as("marker in %s", object).isEqualTo(-1);
      assertThat(indexOf(content, Arrays.copyOf(page, 64)))
          .as("a page's bytes in %s", object)
          .isEqualTo(-1);
    }
  }

  @Test
  void aFlippedByteInAChunkStopsThePullAndDeletesNothing() throws Exception {
    repository.push(
        Checkpoints.publish(local, "web", Checkpoints.randomMemory(MIB, 4)), TransferListener.NONE);
    Path chunk =
        objectFiles().stream().filter(p -> p.toString().contains("/packs/")).findFirst().get();
    flipByte(chunk);
    List<Path> before = objectFiles();

    assertThatThrownBy(() -> repository.pull("web", elsewhere, TransferListener.NONE))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("fails authentication");
    assertThat(elsewhere.list()).as("checkpoints published by a failed pull").isEmpty();
    assertThat(objectFiles()).as("objects after a failed pull").isEqualTo(before);
    assertThat(repository.manifests()).as("listed after a failed pull").hasSize(1);
  }

  @Test
  void aFlippedByteInAManifestIsReportedAndTheCheckpointStaysListed() throws Exception {
    StoredCheckpoint cp = Checkpoints.publish(local, "web", Checkpoints.randomMemory(MIB, 5));
    repository.push(cp, TransferListener.NONE);
    flipByte(tmp.resolve("remote/checkpoints/" + cp.id()));

    assertThatThrownBy(() -> repository.pull(cp.id(), elsewhere, TransferListener.NONE))
        .isInstanceOf(CorruptObjectException.class);
    assertThat(repository.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.problem()).contains("fails authentication"));
  }

  @Test
  void aKeyOfAnotherRepositoryIsRefused() throws Exception {
    RemoteRepository.init(
        new DirectoryObjectStore(tmp.resolve("other")), tmp.resolve("other.key"), Optional.empty());
    RepositoryKey otherKey = RepositoryKey.read(tmp.resolve("other.key"), f -> new char[0]);

    assertThatThrownBy(() -> RemoteRepository.open(objects, otherKey, "other.key"))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("belongs to another repository");
  }

  @Test
  void aPassphraseSealsTheKeyAndAWrongOneIsRefused() throws Exception {
    Path sealed = tmp.resolve("sealed.key");
    RemoteRepository.init(
        new DirectoryObjectStore(tmp.resolve("sealed")),
        sealed,
        Optional.of("correct horse".toCharArray()));

    assertThat(Files.readString(sealed)).contains("PBKDF2").doesNotContain("\"key\"");
    assertThat(RepositoryKey.read(sealed, f -> "correct horse".toCharArray()).repositoryId())
        .isNotEmpty();
    assertThatThrownBy(() -> RepositoryKey.read(sealed, f -> "wrong".toCharArray()))
        .isInstanceOf(WrongKeyException.class);
    assertThat(Files.getPosixFilePermissions(sealed))
        .as("key file permissions")
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aPushThatFailsHalfwayShowsNothingAndARerunSendsOnlyWhatIsMissing() throws Exception {
    StoredCheckpoint cp = Checkpoints.publish(local, "web", Checkpoints.randomMemory(20 * MIB, 6));
    FailingObjectStore failing = new FailingObjectStore(objects, 1);
    RemoteRepository flaky = RemoteRepository.open(failing, key(), "key");

    assertThatThrownBy(() -> flaky.push(cp, TransferListener.NONE))
        .isInstanceOf(ObjectStoreUnavailableException.class);
    assertThat(repository.entries()).as("checkpoints listed after a failed push").isEmpty();
    List<ObjectStore.StoredObject> packsBefore = objects.list(ObjectKeys.PACKS);
    assertThat(packsBefore).as("packs stored before the failure").isNotEmpty();

    TransferSummary rerun = repository.push(cp, TransferListener.NONE);

    assertThat(rerun.transferredChunks())
        .as("chunks sent again, of %d", rerun.chunks())
        .isPositive()
        .isLessThan(rerun.chunks());
    assertThat(objects.list(ObjectKeys.PACKS)).as("packs after the rerun").containsAll(packsBefore);
    assertThat(repository.manifests()).hasSize(1);
    assertThat(repository.pull("web", elsewhere, TransferListener.NONE).checkpoint()).isNotNull();
  }

  @Test
  void pruneDeletesOnlyThePacksOfDeletedCheckpoints() throws Exception {
    byte[] shared = Checkpoints.randomMemory(2 * MIB, 7);
    repository.push(Checkpoints.publish(local, "keep", shared), TransferListener.NONE);
    int keptPacks = packCount();
    byte[] other = Checkpoints.randomMemory(2 * MIB, 8);
    repository.push(Checkpoints.publish(local, "drop", other), TransferListener.NONE);

    repository.delete("drop");
    PruneSummary pruned = repository.prune(Duration.ZERO);

    assertThat(pruned.deletedPacks()).as("packs pruned").isPositive();
    assertThat(packCount()).as("packs left").isEqualTo(keptPacks);
    assertThat(repository.pull("keep", elsewhere, TransferListener.NONE).checkpoint()).isNotNull();
  }

  @Test
  void pruneWaitsForAPushUnderWayAndDeletesNothing() throws Exception {
    repository.push(
        Checkpoints.publish(local, "web", Checkpoints.randomMemory(MIB, 9)), TransferListener.NONE);
    repository.delete("web");
    RepositoryLocks locks = new RepositoryLocks(objects);

    try (RepositoryLocks.Held push = locks.acquire(RepositoryLocks.Kind.PUSH, Duration.ZERO)) {
      int before = packCount();
      assertThatThrownBy(() -> repository.prune(Duration.ZERO))
          .isInstanceOf(RepositoryBusyException.class)
          .hasMessageContaining("a push from");
      assertThat(packCount()).as("packs after a prune refused").isEqualTo(before);
    }
    assertThat(repository.prune(Duration.ZERO).deletedPacks()).isPositive();
  }

  private RepositoryKey key() throws Exception {
    return RepositoryKey.read(keyFile, f -> new char[0]);
  }

  private int packCount() throws Exception {
    return objects.list(ObjectKeys.PACKS).size();
  }

  private List<Path> objectFiles() throws Exception {
    try (Stream<Path> all = Files.walk(tmp.resolve("remote"))) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void flipByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A store that fails every put after the first {@code okPuts}, as a server that went away. */
  private static final class FailingObjectStore implements ObjectStore {
    private final ObjectStore store;
    private final AtomicInteger rangeReads = new AtomicInteger();
    private int okPuts;

    FailingObjectStore(ObjectStore store, int okPuts) {
      this.store = store;
      this.okPuts = okPuts;
    }

    @Override
    public void createIfMissing() throws ObjectStoreException {
      store.createIfMissing();
    }

    @Override
    public synchronized void put(String key, byte[] bytes) throws ObjectStoreException {
      if (key.startsWith(ObjectKeys.PACKS) && okPuts-- <= 0) {
        throw new ObjectStoreUnavailableException("connection refused");
      }
      store.put(key, bytes);
    }

    @Override
    public byte[] get(String key) throws ObjectStoreException {
      return store.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws ObjectStoreException {
      rangeReads.incrementAndGet();
      return store.getRange(key, offset, length);
    }

    @Override
    public List<StoredObject> list(String prefix) throws ObjectStoreException {
      return new ArrayList<>(store.list(prefix));
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
      store.delete(key);
    }

    @Override
    public String location() {
      return store.location();
    }
  }
}
