package dev.cryo.checkpoint;

import dev.cryo.criu.CriuClient;
import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOptions;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.criu.CriuVersion;
import dev.cryo.criu.NotifyListener;
import java.nio.file.Path;

/**
 * What checkpoint and restore ask of CRIU, and no more: the seam where a test puts a CRIU that
 * fails on cue, so that what a failure leaves behind is checked without root and without CRIU.
 */
public interface Criu {
  /** The version recorded in a checkpoint's manifest. */
  CriuVersion installedVersion() throws CriuUnavailableException;

  /** See {@link CriuClient#dump}. */
  void dump(CriuOptions options, NotifyListener listener) throws CriuException;

  /** See {@link CriuClient#restore}. */
  int restore(CriuOptions options, NotifyListener listener) throws CriuException;

  /** See {@link CriuClient#startLazyPagesDaemon}. */
  ProcessHandle startLazyPagesDaemon(Path imagesDir, Path workDir) throws CriuException;

  /** The installed CRIU behind {@code client}. */
  static Criu of(CriuClient client) {
    return new Criu() {
      @Override
      public CriuVersion installedVersion() throws CriuUnavailableException {
        return client.installedVersion();
      }

      @Override
      public void dump(CriuOptions options, NotifyListener listener) throws CriuException {
        client.dump(options, listener);
      }

      @Override
      public int restore(CriuOptions options, NotifyListener listener) throws CriuException {
        return client.restore(options, listener);
      }

      @Override
      public ProcessHandle startLazyPagesDaemon(Path imagesDir, Path workDir) throws CriuException {
        return client.startLazyPagesDaemon(imagesDir, workDir);
      }
    };
  }
}
