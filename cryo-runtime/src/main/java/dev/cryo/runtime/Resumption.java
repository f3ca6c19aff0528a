package dev.cryo.runtime;

/**
 * How a process came back from a checkpoint, so that resources can tell a new life from the old
 * one.
 */
public enum Resumption {
  /** The checkpoint was taken and this is the original process, which kept running. */
  RESUMED,
  /** This is a new process restored from the checkpoint's image. */
  RESTORED,
  /** No checkpoint was taken: a resource refused, or the dump failed. */
  ABORTED
}
