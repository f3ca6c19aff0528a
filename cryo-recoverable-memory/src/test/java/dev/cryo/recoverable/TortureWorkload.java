package dev.cryo.recoverable;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashTortureIT}: commits random multi-range transactions forever and
 * prints "C seq" after each commit returns, until it is killed.
 *
 * <p>Transaction {@code seq} writes {@code seq} and a payload derived from it into 1 to 8 slots
 * chosen by a generator seeded with {@code seq}, so that a verifier can tell exactly what every
 * committed transaction wrote, and spot a slot that holds a torn or uncommitted write.
 *
 * <p>Usage: {@code TortureWorkload FILE PROCESS_CRASH|MACHINE_CRASH}
 */
public final class TortureWorkload {
  static final int SLOTS = 4096;
  static final int SLOT_SIZE = 64;
  static final int MAX_SLOTS_PER_TX = 8;

  private TortureWorkload() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    RecoverableMemory region =
        Files.exists(file)
            ? RecoverableMemory.open(file)
            : RecoverableMemory.create(
                file,
                new RecoverableMemoryOptions((long) SLOTS * SLOT_SIZE, 64 * 1024, durability));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    out.println("ready " + region.commitSequence());
    byte[] slot = new byte[SLOT_SIZE];
    while (true) {
      try (Transaction tx = region.begin()) {
        long seq = tx.sequence();
        for (int s : slotsOf(seq)) {
          fill(slot, seq, s);
          tx.declare((long) s * SLOT_SIZE, SLOT_SIZE).put((long) s * SLOT_SIZE, slot);
        }
        tx.commit();
        out.println("C " + seq);
      }
    }
  }

  /** The distinct slots transaction {@code seq} writes. */
  static int[] slotsOf(long seq) {
    SplittableRandom random = new SplittableRandom(seq);
    int count = 1 + random.nextInt(MAX_SLOTS_PER_TX);
    int[] slots = new int[count];
    for (int i = 0; i < count; i++) {
      int candidate;
      boolean taken;
      do {
        candidate = random.nextInt(SLOTS);
        taken = false;
        for (int j = 0; j < i; j++) {
          taken |= slots[j] == candidate;
        }
      } while (taken);
      slots[i] = candidate;
    }
    return slots;
  }

  /** Slot contents written by {@code seq}: the sequence, then seven words derived from it. */
  static void fill(byte[] slot, long seq, int index) {
    ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, seq);
    for (int i = 1; i < SLOT_SIZE / 8; i++) {
      b.putLong(i * 8, seq * 0x9E3779B97F4A7C15L ^ ((long) index << 20) ^ i);
    }
  }
}
