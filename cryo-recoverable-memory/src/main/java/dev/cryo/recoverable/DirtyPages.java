package dev.cryo.recoverable;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** The pages of the data region changed since they were last written back to the file. */
final class DirtyPages {
  private static final int SHIFT = 12;
  private final BitSet pages;
  private final long dataSize;

  DirtyPages(long dataSize) {
    this.dataSize = dataSize;
    this.pages = new BitSet((int) ((dataSize >>> SHIFT) + 1));
  }

  void mark(long offset, long length) {
    pages.set((int) (offset >>> SHIFT), (int) ((offset + length - 1) >>> SHIFT) + 1);
  }

  /** Runs of dirty pages as {offset, length}, clipped to the data region. */
  List<long[]> ranges() {
    List<long[]> result = new ArrayList<>();
    for (int start = pages.nextSetBit(0); start >= 0; ) {
      int end = pages.nextClearBit(start);
      long from = (long) start << SHIFT;
      long to = Math.min((long) end << SHIFT, dataSize);
      result.add(new long[] {from, to - from});
      start = pages.nextSetBit(end);
    }
    return result;
  }

  void clear() {
    pages.clear();
  }
}
