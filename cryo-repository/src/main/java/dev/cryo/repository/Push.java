package dev.cryo.repository;

import dev.cryo.images.ImageStoreException;
import dev.cryo.images.JsonMappers;
import dev.cryo.images.Manifest;
import dev.cryo.images.StoredCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * One push: reads the checkpoint's files once, chunk by chunk; seals the chunks the repository
 * lacks on other threads and packs them in the order read, while reading on; then writes the
 * manifest. The caller holds the push lock.
 */
final class Push {
  private final ObjectStore store;
  private final RepositoryKey key;
  private final SealedObjects sealing;
  private final Chunker chunker;
  private final int parallelism;

  Push(
      ObjectStore store,
      RepositoryKey key,
      SealedObjects sealing,
      Chunker chunker,
      int parallelism) {
    this.store = store;
    this.key = key;
    this.sealing = sealing;
    this.chunker = chunker;
    this.parallelism = parallelism;
  }

  /** A chunk of a file, before it is known where it lies. */
  private record Piece(String id, int size) {}

  /** A chunk being sealed by another thread. */
  private record Sealing(String id, int size, Future<byte[]> sealed) {}

  /**
   * Hands sealed chunks to the packs in the order they were read, so that the chunks of a file lie
   * one after the other in a pack and a pull reads them with one request: those sealed already, or
   * all of them when {@code all}; or the oldest, when too many are being sealed.
   */
  private void packInOrder(
      Deque<Sealing> queue, ParallelTransfers sealers, PackWriter packs, boolean all)
      throws ImageStoreException {
    while (!queue.isEmpty()
        && (all || queue.peek().sealed().isDone() || queue.size() > 4 * parallelism)) {
      Sealing next = queue.poll();
      packs.add(next.id(), next.size(), sealers.result(next.sealed()));
    }
  }

  TransferSummary run(StoredCheckpoint checkpoint, TransferListener listener)
      throws ImageStoreException {
    long started = System.nanoTime();
    Manifest manifest = checkpoint.manifest();
    String manifestKey = ObjectKeys.checkpoint(manifest.id());
    if (store.exists(manifestKey)) {
      return new TransferSummary(manifest.imageBytes(), 0, 0, 0, elapsedSince(started));
    }
    ChunkCatalog catalog = ChunkCatalog.load(store, sealing, parallelism);
    long total = manifest.files().stream().mapToLong(Manifest.FileEntry::size).sum();
    long[] done = {0};
    int[] chunks = {0};
    int[] sent = {0};
    Set<String> queued = new HashSet<>();
    Deque<Sealing> inFlight = new ArrayDeque<>();
    List<List<Piece>> filePieces = new ArrayList<>();
    try (ParallelTransfers sealers = new ParallelTransfers(parallelism, "seal");
        ParallelTransfers uploads = new ParallelTransfers(parallelism, "push")) {
      PackWriter packs = new PackWriter(store, sealing, uploads);
      for (Manifest.FileEntry entry : manifest.files()) {
        List<Piece> pieces = new ArrayList<>();
        try (InputStream in = Files.newInputStream(checkpoint.directory().resolve(entry.path()))) {
          chunker.split(
              in,
              (buffer, offset, length) -> {
                String id = key.chunkId(buffer, offset, length);
                pieces.add(new Piece(id, length));
                chunks[0]++;
                if (catalog.find(id) == null && queued.add(id)) {
                  sent[0]++;
                  byte[] plain = Arrays.copyOfRange(buffer, offset, offset + length);
                  inFlight.add(
                      new Sealing(
                          id,
                          length,
                          sealers.submit(
                              () ->
                                  sealing.seal(
                                      ObjectKeys.chunkContext(id), plain, 0, plain.length))));
                  packInOrder(inFlight, sealers, packs, false);
                }
                done[0] += length;
                listener.progressed(done[0], total, uploads.bytes());
              });
        } catch (IOException e) {
          throw new ImageStoreException(
              "cannot read "
                  + entry.path()
                  + " of checkpoint "
                  + checkpoint.label()
                  + ": "
                  + e.getMessage(),
              e);
        }
        filePieces.add(pieces);
      }
      packInOrder(inFlight, sealers, packs, true);
      packs.flush();
      uploads.awaitAll();
      List<RemoteManifest.FileChunks> files = new ArrayList<>();
      for (int i = 0; i < filePieces.size(); i++) {
        List<RemoteManifest.ChunkRef> refs = new ArrayList<>();
        for (Piece piece : filePieces.get(i)) {
          RemoteManifest.ChunkRef ref = catalog.find(piece.id());
          refs.add(ref != null ? ref : packs.find(piece.id()));
        }
        files.add(new RemoteManifest.FileChunks(manifest.files().get(i).path(), refs));
      }
      RemoteManifest remote =
          new RemoteManifest(RemoteManifest.FORMAT, Instant.now().toString(), manifest, files);
      byte[] plainManifest = encode(remote);
      byte[] sealed = sealing.seal(manifestKey, plainManifest, 0, plainManifest.length);
      store.put(manifestKey, sealed);
      listener.progressed(total, total, uploads.bytes() + sealed.length);
      return new TransferSummary(
          total, uploads.bytes() + sealed.length, chunks[0], sent[0], elapsedSince(started));
    }
  }

  private static byte[] encode(RemoteManifest remote) {
    try {
      return JsonMappers.lines().writeValueAsBytes(remote);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a manifest", e);
    }
  }

  static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
