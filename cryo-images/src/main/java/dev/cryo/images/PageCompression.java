package dev.cryo.images;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * zstd compression of a checkpoint's memory: the {@code pages-*.img} files, which are nearly all of
 * an image, become {@code pages-*.img.zst}; the small files that describe the processes stay as
 * CRIU wrote them. Compression runs on several cores and streams, so it needs no more memory than
 * its buffers, and it runs after the dump, never while the processes are frozen. A restore expands
 * the pages again into a private directory beside the store ({@link ImageStore#restorable}).
 */
public final class PageCompression {
  static final String SUFFIX = ".zst";

  /**
   * zstd's level 6: on a Spring Boot heap about 7% smaller than the default level 3, at about 2.5
   * times its time (docs/notes/performance.md), time spent after the freeze, for a restore that
   * expands it as fast; the higher levels gain a few percent more for several times the time.
   */
  static final int LEVEL = 6;

  private static final int BUFFER = 1 << 20;

  /**
   * zstd's worker threads: each holds its own buffers, so a many-core host does not get one per
   * core.
   */
  private static final int WORKERS = Math.min(4, Runtime.getRuntime().availableProcessors());

  private PageCompression() {}

  /** Bytes before and after compressing a checkpoint's pages (the other files are not counted). */
  public record Sizes(long raw, long compressed) {}

  static boolean isPageImage(String fileName) {
    return fileName.startsWith("pages-") && fileName.endsWith(".img");
  }

  /**
   * Compresses every page image in {@code imagesDir}. Each original is deleted only once its
   * compressed copy is complete and on disk, so a failure leaves every page image whole, in one
   * form or the other, and a partial copy is removed.
   */
  static Sizes compress(Path imagesDir) throws IOException {
    long raw = 0;
    long compressed = 0;
    for (Path pages : pageImages(imagesDir)) {
      Path target = pages.resolveSibling(pages.getFileName() + SUFFIX);
      try {
        try (InputStream in = Files.newInputStream(pages);
            FileChannel channel =
                FileChannel.open(
                    target,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PrivateFiles.FILE))) {
          try (ZstdOutputStream out =
              new ZstdOutputStream(Channels.newOutputStream(channel), LEVEL)) {
            out.setChecksum(true);
            out.setWorkers(WORKERS);
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
              out.write(buffer, 0, n);
            }
          }
        }
        PrivateFiles.fsync(target);
      } catch (IOException | RuntimeException | LinkageError e) {
        Files.deleteIfExists(target);
        throw e;
      }
      raw += Files.size(pages);
      compressed += Files.size(target);
      Files.delete(pages);
    }
    return new Sizes(raw, compressed);
  }

  /**
   * Fills {@code target} with what CRIU needs to restore from {@code imagesDir}: the page images
   * decompressed (zstd checks each frame's checksum), every other file hard-linked, or copied where
   * links cannot be made.
   */
  static void expand(Path imagesDir, Path target) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(imagesDir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String stem =
            name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        if (!stem.equals(name) && isPageImage(stem)) {
          Path pages = target.resolve(stem);
          try (InputStream in = new ZstdInputStream(Files.newInputStream(file));
              OutputStream out =
                  Files.newOutputStream(
                      Files.createFile(
                          pages, PosixFilePermissions.asFileAttribute(PrivateFiles.FILE)),
                      StandardOpenOption.WRITE)) {
            in.transferTo(out);
          }
        } else {
          try {
            Files.createLink(target.resolve(name), file);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, target.resolve(name));
          }
        }
      }
    }
  }

  static boolean hasCompressedPages(Manifest manifest) {
    return manifest.files().stream()
        .map(f -> Path.of(f.path()).getFileName().toString())
        .anyMatch(n -> n.endsWith(SUFFIX));
  }

  private static List<Path> pageImages(Path imagesDir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(imagesDir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (isPageImage(name)) {
          found.add(file);
        }
      }
    }
    found.sort(null);
    return found;
  }
}
