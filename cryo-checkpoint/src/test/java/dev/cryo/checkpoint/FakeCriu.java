package dev.cryo.checkpoint;

import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.CriuOptions;
import dev.cryo.criu.CriuVersion;
import dev.cryo.criu.HookFailedException;
import dev.cryo.criu.NotifyHook;
import dev.cryo.criu.NotifyListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A CRIU that writes small image files and a log, calls the post-dump hook as CRIU does, and fails
 * where a test says: before the tree is frozen, or with what it does while frozen.
 */
final class FakeCriu implements Criu {
  static final String ERROR_LINE = "Error (criu/cr-dump.c:2077): Dumping FAILED.";

  final List<CriuOptions> dumps = new ArrayList<>();
  final List<CriuOptions> restores = new ArrayList<>();

  /** The dump fails with CRIU's own error before it reaches its post-dump hook. */
  boolean failDump;

  /** Runs while the tree is "frozen", before the post-dump hook: a process ending, say. */
  Runnable whileFrozen = () -> {};

  /** Runs once the dump has succeeded, before it returns: the store breaking, say. */
  Runnable afterDump = () -> {};

  int restoredPid = 4242;
  boolean failRestore;

  @Override
  public CriuVersion installedVersion() {
    return new CriuVersion(4, 2, 1);
  }

  @Override
  public void dump(CriuOptions options, NotifyListener listener) throws CriuException {
    dumps.add(options);
    Path log = options.logPath().orElseThrow();
    write(options.imagesDir().orElseThrow().resolve("pages-1.img"), "pages of the tree");
    write(options.imagesDir().orElseThrow().resolve("core-" + options.pid() + ".img"), "core");
    write(log, "(00.001) Dumping tree " + options.pid() + "\n");
    whileFrozen.run();
    if (failDump) {
      write(log, ERROR_LINE + "\n");
      throw new CriuOperationException("dump", 0, null, List.of(ERROR_LINE), log, null);
    }
    try {
      listener.onHook(NotifyHook.POST_DUMP, NotifyHook.POST_DUMP.criuName(), 0);
    } catch (Exception e) {
      throw new CriuOperationException(
          "dump",
          0,
          null,
          List.of(),
          log,
          new HookFailedException(NotifyHook.POST_DUMP.criuName(), e));
    }
    afterDump.run();
  }

  @Override
  public int restore(CriuOptions options, NotifyListener listener) throws CriuException {
    restores.add(options);
    if (failRestore) {
      throw new CriuOperationException(
          "restore",
          0,
          null,
          List.of("Error (criu/cr-restore.c:1): Restoring FAILED."),
          options.logPath().orElse(null),
          null);
    }
    return restoredPid;
  }

  @Override
  public ProcessHandle startLazyPagesDaemon(Path imagesDir, Path workDir) {
    throw new UnsupportedOperationException("no lazy pages in a fake");
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(
          file, text, Files.exists(file) ? StandardOpenOption.APPEND : StandardOpenOption.CREATE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
