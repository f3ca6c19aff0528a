package dev.cryo.images;

import dev.cryo.linux.PrivateFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where everything of an image store lies on disk:
 *
 * <pre>
 *   checkpoints/ID/manifest.json   published checkpoints, each with its manifest
 *   checkpoints/ID/images/         CRIU's image files
 *   .staging/ID.PID/               checkpoints being written by process PID
 *   .staging/ID.unpublished/       checkpoints that could not be published but must not be lost
 *   .staging/restore-ID.PID/       expanded copies of compressed checkpoints, for a restore by PID
 *   .trash/                        checkpoints being deleted
 *   logs/                          logs of operations that must not touch a checkpoint (restores)
 *   .lock                          held while a checkpoint is renamed into place
 * </pre>
 *
 * Everything is private to the owner: directories 0700 and files 0600.
 */
final class StoreLayout {
  static final String IMAGES_DIR = "images";
  static final String MANIFEST = "manifest.json";
  private static final String CHECKPOINTS = "checkpoints";
  private static final String STAGING = ".staging";
  private static final String TRASH = ".trash";
  private static final String LOGS = "logs";
  private static final String LOCK = ".lock";
  private static final String UNPUBLISHED = ".unpublished";

  private final Path root;

  StoreLayout(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Creates the store's directories, private, and checks that the staging area can be written. */
  void create() throws IOException {
    PrivateFiles.createDirectories(root);
    for (String sub : List.of(CHECKPOINTS, STAGING, TRASH, LOGS)) {
      PrivateFiles.privateDirectory(root.resolve(sub));
    }
    Path probe = Files.createTempFile(root.resolve(STAGING), "write-test", ".tmp");
    Files.delete(probe);
  }

  Path checkpoints() {
    return root.resolve(CHECKPOINTS);
  }

  Path checkpoint(String id) {
    return checkpoints().resolve(id);
  }

  /** A checkpoint being written by this process. */
  Path staging(String id) {
    return root.resolve(STAGING).resolve(id + "." + ProcessHandle.current().pid());
  }

  /** A staged checkpoint set aside, never cleared automatically. */
  Path unpublished(String id) {
    return root.resolve(STAGING).resolve(id + UNPUBLISHED);
  }

  /** The staged checkpoints set aside, sorted. */
  List<Path> unpublished() {
    Path staging = root.resolve(STAGING);
    if (!Files.isDirectory(staging)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(staging)) {
      return entries
          .filter(p -> p.getFileName().toString().endsWith(UNPUBLISHED))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** An expanded copy of a compressed checkpoint, for a restore by this process. */
  Path restoreCopy(String id) {
    return root.resolve(STAGING).resolve("restore-" + id + "." + ProcessHandle.current().pid());
  }

  /** Where a checkpoint goes to be deleted, out of every listing. */
  Path trash(String id) {
    return root.resolve(TRASH).resolve(id + "." + System.nanoTime());
  }

  Path logs() {
    return root.resolve(LOGS);
  }

  Path lockFile() {
    return root.resolve(LOCK);
  }

  /**
   * Deletes what writers that have died left in the staging area (a file name ends with its
   * writer's PID).
   */
  void clearAbandonedStaging() {
    try (Stream<Path> entries = Files.list(root.resolve(STAGING))) {
      for (Path p : entries.collect(Collectors.toList())) {
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        if (dot < 0) {
          continue;
        }
        try {
          long owner = Long.parseLong(file.substring(dot + 1));
          if (ProcessHandle.of(owner).isEmpty()) {
            PrivateFiles.deleteTree(p);
          }
        } catch (NumberFormatException | IOException ignored) {
          // Not ours, or already gone: leave it.
        }
      }
    } catch (IOException ignored) {
      // Cleaning up is a courtesy; staging still works.
    }
  }

  /** Why a file operation failed, in a few words. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason().toLowerCase(Locale.ROOT);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
