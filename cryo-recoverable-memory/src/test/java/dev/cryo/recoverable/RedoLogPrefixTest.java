package dev.cryo.recoverable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machine-crash durability against losing writes: a crash can keep any prefix of what was written
 * to the redo log (the flushed part always, then some or none of the rest, possibly torn
 * mid-record). Recovery from every such prefix must yield the state after the last commit whose
 * record is whole in it: never less than the last flushed commit, never a partial transaction.
 */
class RedoLogPrefixTest {
  private static final int DATA = 8192;
  private static final int COMMITS = 25;

  @TempDir Path tmp;

  private byte[] pristineFile;
  private byte[] redoLog;

  /** The data region after 0, 1, ... COMMITS commits. */
  private final List<byte[]> expected = new ArrayList<>();

  /** The redo log's length once each commit had returned (it was flushed by then). */
  private final List<Long> flushedAfter = new ArrayList<>();

  @BeforeEach
  void recordACommitHistory() throws IOException {
    Path file = tmp.resolve("region");
    RecoverableMemory region =
        RecoverableMemory.create(
            file, new RecoverableMemoryOptions(DATA, 4096, Durability.MACHINE_CRASH));
    pristineFile = Files.readAllBytes(file);
    Random random = new Random(42);
    byte[] model = new byte[DATA];
    expected.add(model.clone());
    flushedAfter.add(0L);
    for (int c = 0; c < COMMITS; c++) {
      try (Transaction tx = region.begin()) {
        int ranges = 1 + random.nextInt(4);
        for (int r = 0; r < ranges; r++) {
          int length = 1 + random.nextInt(100);
          int offset = random.nextInt(DATA - length);
          byte[] bytes = new byte[length];
          random.nextBytes(bytes);
          tx.declare(offset, length).put(offset, bytes);
          System.arraycopy(bytes, 0, model, offset, length);
        }
        tx.commit();
      }
      expected.add(model.clone());
      flushedAfter.add(Files.size(RecoverableMemory.redoLogOf(file)));
    }
    assertThat(Files.readAllBytes(file))
        .as("the data file is written only when the log is folded in")
        .isEqualTo(pristineFile);
    redoLog = Files.readAllBytes(RecoverableMemory.redoLogOf(file));
    // The region is abandoned without close(), as a crash would leave it.
  }

  private int commitsWholeIn(long prefix) {
    int k = 0;
    while (k < COMMITS && flushedAfter.get(k + 1) <= prefix) {
      k++;
    }
    return k;
  }

  private void assertRecoversTo(byte[] dataFile, byte[] log, int commits, String situation)
      throws IOException {
    Path dir = Files.createTempDirectory(tmp, "crash");
    Path file = dir.resolve("region");
    Files.write(file, dataFile);
    Files.write(RecoverableMemory.redoLogOf(file), log);
    try (RecoverableMemory recovered = RecoverableMemory.open(file)) {
      assertThat(recovered.commitSequence())
          .as("commit sequence after %s", situation)
          .isEqualTo(commits);
      assertThat(recovered.get(0, DATA))
          .as("data after %s", situation)
          .isEqualTo(expected.get(commits));
    }
    try (RecoverableMemory again = RecoverableMemory.open(file)) {
      assertThat(again.get(0, DATA))
          .as("data after reopening the recovered region (%s)", situation)
          .isEqualTo(expected.get(commits));
    }
  }

  @Test
  void everyPrefixOfTheRedoLogRecoversToTheLastWholeCommitInIt() throws IOException {
    for (int prefix = 0; prefix <= redoLog.length; prefix++) {
      int commits = commitsWholeIn(prefix);
      assertThat((long) prefix).isGreaterThanOrEqualTo(flushedAfter.get(commits));
      assertRecoversTo(
          pristineFile,
          Arrays.copyOf(redoLog, prefix),
          commits,
          "keeping " + prefix + " log bytes");
    }
  }

  @Test
  void aTornTailOfGarbageIsIgnored() throws IOException {
    Random random = new Random(7);
    for (int k = 0; k <= COMMITS; k++) {
      int prefix = (int) (long) flushedAfter.get(k);
      for (int garbage : new int[] {1, 7, 8, 40, 400}) {
        byte[] log = Arrays.copyOf(redoLog, prefix + garbage);
        for (int i = prefix; i < log.length; i++) {
          log[i] = (byte) random.nextInt();
        }
        assertRecoversTo(
            pristineFile, log, k, k + " commits then " + garbage + " bytes of garbage");
      }
    }
  }

  @Test
  void aCrashWhileFoldingTheLogIntoTheDataFileIsRepairedByReplay() throws IOException {
    byte[] finalData = expected.get(COMMITS);
    int dataStart = (int) (RecoverableMemory.UNDO_START + 4096);
    for (int pagesWritten = 0; pagesWritten <= DATA / 4096; pagesWritten++) {
      byte[] partial = pristineFile.clone();
      System.arraycopy(finalData, 0, partial, dataStart, pagesWritten * 4096);
      assertRecoversTo(partial, redoLog, COMMITS, pagesWritten + " pages folded before the crash");
    }
  }

  @Test
  void afterRecoveryTheLogIsFoldedInAndNewCommitsContinueTheSequence() throws IOException {
    Path file = tmp.resolve("continued");
    Files.write(file, pristineFile);
    Files.write(RecoverableMemory.redoLogOf(file), redoLog);
    try (RecoverableMemory region = RecoverableMemory.open(file)) {
      assertThat(Files.size(RecoverableMemory.redoLogOf(file))).isZero();
      try (Transaction tx = region.begin()) {
        tx.declare(0, 1).put(0, (byte) 1);
        assertThat(tx.commit()).isEqualTo(COMMITS + 1);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, RecoverableMemory.UNDO_START + 4096);
      assertThat(b.get(0))
          .as("closing folds the last commit into the data file")
          .isEqualTo((byte) 1);
    }
  }
}
