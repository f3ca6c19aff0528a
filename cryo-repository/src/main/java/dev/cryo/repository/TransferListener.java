package dev.cryo.repository;

/** Told how a push or pull advances, for a progress bar. Called from one thread at a time. */
@FunctionalInterface
public interface TransferListener {
  TransferListener NONE = (done, total, transferred) -> {};

  /**
   * @param done bytes of the checkpoint handled so far
   * @param total bytes of the checkpoint in all
   * @param transferred bytes sent to or received from the object store so far
   */
  void progressed(long done, long total, long transferred);
}
