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
import java.util.Deque;
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
                    Deque<Future<byte[]>> window = new ArrayDeque<>();
                    for (RemoteManifest.ChunkRef chunk : file.chunks()) {
                      window.add(downloads.submit(() -> fetch(chunk, remote, downloads)));
                      if (window.size() >= 2 * parallelism) {
                        done[0] += write(downloads.result(window.poll()), out);
                        listener.progressed(done[0], total, downloads.bytes());
                      }
                      chunks[0]++;
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
              total, downloads.bytes(), chunks[0], downloads.count(), Push.elapsedSince(started)));
    }
  }

  private static long write(byte[] plain, OutputStream out) throws IOException {
    out.write(plain);
    return plain.length;
  }

  private byte[] fetch(
      RemoteManifest.ChunkRef chunk, RemoteManifest remote, ParallelTransfers downloads)
      throws ImageStoreException {
    String objectKey = ObjectKeys.chunk(chunk.id());
    byte[] sealed;
    try {
      sealed = store.get(objectKey);
    } catch (ObjectNotFoundException e) {
      throw new CorruptObjectException(
          "checkpoint "
              + label(remote)
              + " in "
              + store.location()
              + " is incomplete: its chunk "
              + objectKey
              + " is missing; nothing was restored or deleted",
          e);
    }
    downloads.transferred(sealed.length);
    try {
      byte[] plain = sealing.open(objectKey, sealed);
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
              + " is damaged: its chunk "
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
