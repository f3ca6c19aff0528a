package dev.cryo.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final ChunkSizes SIZES = new ChunkSizes(4 << 10, 16 << 10, 64 << 10);
  private final Chunker chunker = Chunker.keyed(RepositoryKey.generate("test"), SIZES);

  private List<byte[]> chunks(byte[] data) throws Exception {
    List<byte[]> chunks = new ArrayList<>();
    chunker.split(
        new ByteArrayInputStream(data),
        (buffer, offset, length) ->
            chunks.add(Arrays.copyOfRange(buffer, offset, offset + length)));
    return chunks;
  }

  @Test
  void chunksPutTogetherGiveBackTheStreamAndStayWithinTheSizes() throws Exception {
    byte[] data = Checkpoints.randomMemory(3 << 20, 1);
    List<byte[]> chunks = chunks(data);

    byte[] joined = new byte[data.length];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, joined, at, chunk.length);
      at += chunk.length;
    }
    assertThat(at).as("bytes in all chunks").isEqualTo(data.length);
    assertThat(joined).as("chunks joined in order").isEqualTo(data);
    assertThat(chunks.subList(0, chunks.size() - 1))
        .as("every chunk but the last is between min and max")
        .allSatisfy(c -> assertThat(c.length).isBetween(SIZES.min(), SIZES.max()));
    assertThat(chunks.size())
        .as("chunks of 3 MiB at 16 KiB on average")
        .isBetween(3 * 1024 / 16 / 3, 3 * 1024 / 16 * 2);
  }

  @Test
  void bytesInsertedInTheMiddleChangeOnlyTheChunksAroundThem() throws Exception {
    byte[] data = Checkpoints.randomMemory(2 << 20, 2);
    byte[] shifted = new byte[data.length + 100];
    System.arraycopy(data, 0, shifted, 0, data.length / 2);
    System.arraycopy(data, data.length / 2, shifted, data.length / 2 + 100, data.length / 2);

    Set<String> before = ids(chunks(data));
    List<byte[]> after = chunks(shifted);
    long fresh = ids(after).stream().filter(id -> !before.contains(id)).count();

    assertThat(fresh)
        .as("chunks changed by inserting 100 bytes, of " + after.size())
        .isLessThanOrEqualTo(3);
  }

  @Test
  void anotherKeyCutsElsewhere() throws Exception {
    byte[] data = Checkpoints.randomMemory(1 << 20, 3);
    Chunker other = Chunker.keyed(RepositoryKey.generate("other"), SIZES);
    List<Integer> mine = new ArrayList<>();
    List<Integer> theirs = new ArrayList<>();
    chunker.split(new ByteArrayInputStream(data), (b, o, l) -> mine.add(l));
    other.split(new ByteArrayInputStream(data), (b, o, l) -> theirs.add(l));

    assertThat(mine).as("chunk lengths under two repository keys").isNotEqualTo(theirs);
  }

  private static Set<String> ids(List<byte[]> chunks) {
    Set<String> ids = new HashSet<>();
    for (byte[] c : chunks) {
      ids.add(Arrays.hashCode(c) + ":" + c.length);
    }
    return ids;
  }
}
