package dev.cryo.runtime;

/**
 * Groups of resources notified apart: the application's are told first before a checkpoint and last
 * after it, so they run while the JVM-level housekeeping (heap trim, random reseeding, timer
 * correction) has not yet been done, or has already been undone.
 */
public enum Priority {
  /** The application's and its frameworks' resources: the default. */
  APPLICATION,
  /** The JVM's own housekeeping, which must happen after every application resource is quiet. */
  JVM
}
