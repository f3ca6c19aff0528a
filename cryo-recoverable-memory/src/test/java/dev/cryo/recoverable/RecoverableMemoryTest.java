package dev.cryo.recoverable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecoverableMemoryTest {
  @TempDir Path tmp;

  private RecoverableMemory create(Durability durability) throws IOException {
    return RecoverableMemory.create(
        tmp.resolve("region"), RecoverableMemoryOptions.of(1 << 20, durability));
  }

  /** Writes {@code value} at {@code offset} in a transaction of its own, and commits it. */
  private static void commitLong(RecoverableMemory region, long offset, long value) {
    try (Transaction tx = region.begin()) {
      tx.declare(offset, 8).putLong(offset, value);
      tx.commit();
    }
  }

  /** What a crash leaves: the file as the page cache holds it (and the redo log as written). */
  private Path crashCopy(RecoverableMemory region) throws IOException {
    Path copy = tmp.resolve("crashed-" + System.nanoTime());
    Files.copy(region.file(), copy);
    Path redo = RecoverableMemory.redoLogOf(region.file());
    if (Files.exists(redo)) {
      Files.copy(redo, RecoverableMemory.redoLogOf(copy));
    }
    return copy;
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void committedWritesSurviveReopening(Durability durability) throws IOException {
    try (RecoverableMemory region = create(durability)) {
      try (Transaction tx = region.begin()) {
        tx.declare(0, 16).putLong(0, 42);
        tx.putLong(8, 43);
        assertThat(tx.commit()).isEqualTo(1);
      }
    }
    try (RecoverableMemory region = RecoverableMemory.open(tmp.resolve("region"))) {
      assertThat(region.getLong(0)).isEqualTo(42);
      assertThat(region.getLong(8)).isEqualTo(43);
      assertThat(region.commitSequence()).isEqualTo(1);
      assertThat(region.durability()).isEqualTo(durability);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void abortAndCloseWithoutCommitUndoEveryWrite(Durability durability) throws IOException {
    try (RecoverableMemory region = create(durability)) {
      commitLong(region, 100, 1);
      Transaction aborted = region.begin();
      aborted.declare(100, 8).putLong(100, 2);
      aborted.declare(200, 3).put(200, new byte[] {9, 9, 9});
      aborted.abort();
      assertThat(region.getLong(100)).isEqualTo(1);
      assertThat(region.get(200, 3)).containsExactly(0, 0, 0);

      try (Transaction tx = region.begin()) {
        tx.declare(100, 8).putLong(100, 3);
      }
      assertThat(region.getLong(100)).as("closing without commit aborts").isEqualTo(1);
      assertThat(region.commitSequence()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void aCrashDuringATransactionRollsItBackAndKeepsEarlierCommits(Durability durability)
      throws IOException {
    try (RecoverableMemory region = create(durability)) {
      commitLong(region, 0, 7);
      Transaction inFlight = region.begin();
      inFlight.declare(0, 8).putLong(0, 8);
      inFlight.declare(4096 * 3 - 4, 8).putLong(4096 * 3 - 4, -1);
      Path crashed = crashCopy(region);
      inFlight.abort();

      try (RecoverableMemory recovered = RecoverableMemory.open(crashed)) {
        assertThat(recovered.getLong(0)).isEqualTo(7);
        assertThat(recovered.getLong(4096 * 3 - 4)).isZero();
        assertThat(recovered.commitSequence()).isEqualTo(1);
      }
    }
  }

  @Test
  void recoveryThatIsItselfInterruptedRunsAgainToTheSameResult() throws IOException {
    Path crashed;
    try (RecoverableMemory region = create(Durability.PROCESS_CRASH)) {
      try (Transaction tx = region.begin()) {
        tx.declare(0, 24).putLong(0, 1);
        tx.putLong(8, 2);
        tx.putLong(16, 3);
        tx.commit();
      }
      Transaction inFlight = region.begin();
      for (int i = 0; i < 3; i++) {
        inFlight.declare(i * 8L, 8).putLong(i * 8L, 100 + i);
      }
      inFlight.declare(0, 8).putLong(0, 200);
      crashed = crashCopy(region);
      inFlight.abort();
    }
    for (int steps = 0; steps <= 4; steps++) {
      Path copy = tmp.resolve("partial-" + steps);
      Files.copy(crashed, copy, StandardCopyOption.REPLACE_EXISTING);
      RecoverableMemory.recoverPartially(copy, steps);
      RecoverableMemory.recoverPartially(copy, 1);
      try (RecoverableMemory recovered = RecoverableMemory.open(copy)) {
        assertThat(new long[] {recovered.getLong(0), recovered.getLong(8), recovered.getLong(16)})
            .as(
                "after a recovery stopped at step %d, then another stopped at step 1, then a whole one",
                steps)
            .containsExactly(1, 2, 3);
        assertThat(recovered.commitSequence()).isEqualTo(1);
      }
    }
  }

  @Test
  void writesOutsideTheDeclaredRangesAreRefused() throws IOException {
    try (RecoverableMemory region = create(Durability.PROCESS_CRASH);
        Transaction tx = region.begin()) {
      tx.declare(0, 8).declare(8, 8);
      tx.put(4, new byte[8]);
      assertThatThrownBy(() -> tx.putLong(16, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("outside the ranges declared");
      assertThatThrownBy(() -> tx.declare(region.size() - 4, 8))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("outside the region's");
    }
  }

  @Test
  void aTransactionLargerThanTheUndoLogIsRefusedWithoutLosingWhatItDeclared() throws IOException {
    Path file = tmp.resolve("small-undo");
    try (RecoverableMemory region =
        RecoverableMemory.create(
            file, new RecoverableMemoryOptions(1 << 20, 256, Durability.PROCESS_CRASH))) {
      Transaction tx = region.begin();
      tx.declare(0, 64).putLong(0, 5);
      assertThatThrownBy(() -> tx.declare(1000, 512))
          .isInstanceOf(TransactionTooLargeException.class)
          .hasMessageContaining("larger undoCapacity");
      tx.putLong(8, 6);
      tx.commit();
      assertThat(region.getLong(0)).isEqualTo(5);
      assertThat(region.getLong(8)).isEqualTo(6);
    }
  }

  @Test
  void aTransactionBelongsToTheThreadThatBeganIt() throws Exception {
    try (RecoverableMemory region = create(Durability.PROCESS_CRASH)) {
      Transaction tx = region.begin();
      Future<?> other = Executors.newSingleThreadExecutor().submit(() -> tx.declare(0, 8));
      assertThatThrownBy(other::get)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("belongs to thread");
      tx.abort();
      assertThatThrownBy(tx::commit).hasMessageContaining("already ended");
    }
  }

  @Test
  void aFileThatIsNotARegionIsRefusedAndLeftAlone() throws IOException {
    Path file =
        Files.writeString(tmp.resolve("notes.txt"), "hello, this is not a region\n".repeat(300));
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> RecoverableMemory.open(file))
        .isInstanceOf(RecoverableMemoryFormatException.class)
        .hasMessage(file + " is not a cryo recoverable memory region (no CRYORVM1 header)");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThatThrownBy(() -> RecoverableMemory.open(Files.createFile(tmp.resolve("empty"))))
        .isInstanceOf(RecoverableMemoryFormatException.class);
    assertThatThrownBy(() -> RecoverableMemory.open(tmp.resolve("absent")))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(
            () ->
                RecoverableMemory.create(
                    file, RecoverableMemoryOptions.of(4096, Durability.PROCESS_CRASH)))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void aRegionOfAnotherFormatVersionIsRefusedWithBothVersions() throws IOException {
    Path file = rewriteHeaderInt(aClosedRegion(), RecoverableMemory.OFF_FORMAT, 99);
    assertThatThrownBy(() -> RecoverableMemory.open(file))
        .isInstanceOf(RecoverableMemoryFormatException.class)
        .hasMessageContaining("format 99")
        .hasMessageContaining("(format 1)");
  }

  @Test
  void aDamagedHeaderIsRefused() throws IOException {
    Path file = rewriteHeaderInt(aClosedRegion(), RecoverableMemory.OFF_DATA_SIZE, 12345);
    assertThatThrownBy(() -> RecoverableMemory.open(file))
        .isInstanceOf(RecoverableMemoryFormatException.class)
        .hasMessageContaining("damaged header");
  }

  @Test
  void aTruncatedRegionIsRefusedAndNotExtended() throws IOException {
    Path file = aClosedRegion();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    long size = Files.size(file);
    assertThatThrownBy(() -> RecoverableMemory.open(file))
        .isInstanceOf(RecoverableMemoryFormatException.class)
        .hasMessageContaining("is truncated");
    assertThat(Files.size(file)).isEqualTo(size);
  }

  @Test
  void aRegionLargerThanTwoGigabytesWorksAcrossChunkBoundaries() throws IOException {
    Path file = tmp.resolve("big");
    long size = 3L << 30;
    long boundary = MappedFile.CHUNK_SIZE * 2 - RecoverableMemory.UNDO_START - 65536 - 3;
    byte[] bytes = "across the boundary".getBytes();
    try (RecoverableMemory region =
        RecoverableMemory.create(
            file, new RecoverableMemoryOptions(size, 65536, Durability.PROCESS_CRASH))) {
      try (Transaction tx = region.begin()) {
        tx.declare(boundary, bytes.length).put(boundary, bytes);
        tx.declare(size - 8, 8).putLong(size - 8, 77);
        tx.commit();
      }
    }
    try (RecoverableMemory region = RecoverableMemory.open(file)) {
      assertThat(region.get(boundary, bytes.length)).isEqualTo(bytes);
      assertThat(region.getLong(size - 8)).isEqualTo(77);
    }
  }

  @Test
  void concurrentCommittersInMachineCrashModeAreSerialisedAndAllDurable() throws Exception {
    int threads = 8;
    int perThread = 50;
    Path crashed;
    ConcurrentLinkedQueue<Long> sequences = new ConcurrentLinkedQueue<>();
    try (RecoverableMemory region = create(Durability.MACHINE_CRASH)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long slot = t * 8L;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 1; i <= perThread; i++) {
                    try (Transaction tx = region.begin()) {
                      tx.declare(slot, 8).putLong(slot, i);
                      tx.declare(1024, 8).putLong(1024, region.getLong(1024) + 1);
                      sequences.add(tx.commit());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      crashed = crashCopy(region);
    }
    assertThat(sequences).hasSize(threads * perThread).doesNotHaveDuplicates();
    try (RecoverableMemory recovered = RecoverableMemory.open(crashed)) {
      assertThat(recovered.commitSequence()).isEqualTo(threads * perThread);
      assertThat(recovered.getLong(1024))
          .as("counter incremented by every commit")
          .isEqualTo(threads * perThread);
      for (int t = 0; t < threads; t++) {
        assertThat(recovered.getLong(t * 8L)).isEqualTo(perThread);
      }
    }
  }

  /** A region of the default size, created and closed: only its file is left. */
  private Path aClosedRegion() throws IOException {
    create(Durability.PROCESS_CRASH).close();
    return tmp.resolve("region");
  }

  /** Rewrites the little-endian int of the header at {@code offset}; returns {@code file}. */
  private static Path rewriteHeaderInt(Path file, long offset, int value) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
      b.flip();
      ch.write(b, offset);
    }
    return file;
  }
}
