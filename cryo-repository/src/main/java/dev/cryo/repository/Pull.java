package dev.cryo.repository;

import dev.cryo.images.ImageStore;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;

/**
 * One pull: fetches a checkpoint's chunks a few at a time, authenticates each (it must open with
 * the key under its own name and hash back to its id), and writes the files in order into the local
 * store's staging area, which publishes them only once all are there and match the manifest.
 */
final class Pull {
  private final ObjectStore store;
  private final RepositoryKey key;
  private final SealedObjects sealing;
  private final int parallelism;

  Pull(ObjectStore store, RepositoryKey key, SealedObjects sealing, int parallelism) {
    this.store = store;
    this.key = key;
    this.sealing = sealing;
    this.parallelism = parallelism;
  }

  /** Adjacent chunks of one file in one pack, fetched with one request. */
  private record Range(
      String pack, long offset, int length, List<RemoteManifest.ChunkRef> chunks) {}

  /**
   * Requests of at most a whole pack: its target size and the chunk that passed it. A smaller cap
   * split a pack's last few chunks into a request of their own.
   */
  private static final int MAX_RANGE_BYTES = PackWriter.TARGET_BYTES + (1 << 20);

  RemoteRepository.Pulled run(
      RemoteManifest remote, ImageStore workingCopy, TransferListener listener)
      throws ImageStoreException {
    long started = System.nanoTime();
    long total =
        remote.files().stream()
            .flatMap(f -> f.chunks().stream())
            .mapToLong(RemoteManifest.ChunkRef::size)
            .sum();
    long[] done = {0};
    int[] chunks = {0};
    try (ParallelTransfers downloads = new ParallelTransfers(parallelism, "pull")) {
      StoredCheckpoint checkpoint =
          workingCopy.receive(
              remote.manifest(),
              directory -> {
                for (RemoteManifest.FileChunks file : remote.files()) {
                  Path target = directory.resolve(file.path()).normalize();
                  if (!target.startsWith(directory)) {
                    throw new CorruptObjectException(
                        "checkpoint "
                            + remote.manifest().id()
                            + " names a file outside its directory: "
                            + file.path());
                  }
                  PrivateFiles.createDirectories(target.getParent());
                  try (OutputStream out =
                      Files.newOutputStream(
                          target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    Deque<Future<List<byte[]>>> window = new ArrayDeque<>();
                    for (Range range : ranges(file.chunks())) {
                      window.add(downloads.submit(() -> fetch(range, remote, downloads)));
                      chunks[0] += range.chunks().size();
                      if (window.size() >= 2 * parallelism) {
                        done[0] += write(downloads.result(window.poll()), out);
                        listener.progressed(done[0], total, downloads.bytes());
                      }
                    }
                    while (!window.isEmpty()) {
                      done[0] += write(downloads.result(window.poll()), out);
                      listener.progressed(done[0], total, downloads.bytes());
                    }
                  }
                }
              });
      return new RemoteRepository.Pulled(
          checkpoint,
          new TransferSummary(
              total, downloads.bytes(), chunks[0], chunks[0], Push.elapsedSince(started)));
    }
  }

  /** The chunks in order, adjacent ones of a pack joined into one request. */
  private static List<Range> ranges(List<RemoteManifest.ChunkRef> chunks) {
    List<Range> ranges = new ArrayList<>();
    String pack = null;
    long offset = 0;
    long end = 0;
    List<RemoteManifest.ChunkRef> current = new ArrayList<>();
    for (RemoteManifest.ChunkRef chunk : chunks) {
      boolean joins =
          chunk.pack().equals(pack)
              && chunk.offset() == end
              && end - offset + chunk.length() <= MAX_RANGE_BYTES;
      if (!joins && !current.isEmpty()) {
        ranges.add(new Range(pack, offset, (int) (end - offset), current));
        current = new ArrayList<>();
      }
      if (!joins) {
        pack = chunk.pack();
        offset = chunk.offset();
      }
      current.add(chunk);
      end = chunk.offset() + chunk.length();
    }
    if (!current.isEmpty()) {
      ranges.add(new Range(pack, offset, (int) (end - offset), current));
    }
    return ranges;
  }

  private static long write(List<byte[]> plains, OutputStream out) throws IOException {
    long written = 0;
    for (byte[] plain : plains) {
      out.write(plain);
      written += plain.length;
    }
    return written;
  }

  private List<byte[]> fetch(Range range, RemoteManifest remote, ParallelTransfers downloads)
      throws ImageStoreException {
    String objectKey = ObjectKeys.pack(range.pack());
    byte[] bytes;
    try {
      bytes = store.getRange(objectKey, range.offset(), range.length());
    } catch (ObjectNotFoundException e) {
      throw new CorruptObjectException(
          "checkpoint "
              + label(remote)
              + " in "
              + store.location()
              + " is incomplete: its pack "
              + objectKey
              + " is missing; nothing was restored or deleted",
          e);
    }
    downloads.transferred(bytes.length);
    List<byte[]> plains = new ArrayList<>(range.chunks().size());
    for (RemoteManifest.ChunkRef chunk : range.chunks()) {
      int at = (int) (chunk.offset() - range.offset());
      byte[] sealed = Arrays.copyOfRange(bytes, at, at + chunk.length());
      plains.add(open(chunk, sealed, objectKey, remote));
    }
    return plains;
  }

  private byte[] open(
      RemoteManifest.ChunkRef chunk, byte[] sealed, String objectKey, RemoteManifest remote)
      throws CorruptObjectException {
    try {
      byte[] plain = sealing.open(ObjectKeys.chunkContext(chunk.id()), sealed);
      byte[] expected = chunk.id().getBytes(StandardCharsets.US_ASCII);
      byte[] actual = key.chunkId(plain, 0, plain.length).getBytes(StandardCharsets.US_ASCII);
      if (plain.length != chunk.size() || !MessageDigest.isEqual(expected, actual)) {
        throw new GeneralSecurityException("its content does not match its id");
      }
      return plain;
    } catch (GeneralSecurityException e) {
      throw new CorruptObjectException(
          "checkpoint "
              + label(remote)
              + " in "
              + store.location()
              + " is damaged: chunk "
              + chunk.id().substring(0, 16)
              + "... at byte "
              + chunk.offset()
              + " of "
              + objectKey
              + " fails authentication ("
              + e.getMessage()
              + "); nothing was restored or deleted",
          e);
    }
  }

  private static String label(RemoteManifest remote) {
    return remote.manifest().name() != null ? remote.manifest().name() : remote.manifest().id();
  }
}
