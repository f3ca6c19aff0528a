package dev.cryo.recoverable;

/**
 * What a committed transaction survives. Chosen when a region is created and fixed for its life.
 */
public enum Durability {
  /**
   * Survives the death of the process (kill -9, a crash, an OOM kill), not of the machine. Commit
   * makes no system call: the region is a shared mapping of its file, so the kernel's page cache
   * holds every completed write even when the process is gone, and an undo log in the same mapping
   * rolls back whatever was in flight. The kernel writes the pages to disk in its own time; a power
   * loss or kernel crash can lose recent commits or leave a torn state.
   */
  PROCESS_CRASH,
  /**
   * Survives the death of the machine too. Commit returns once a redo record of the transaction is
   * on disk (fdatasync of a write-ahead log); concurrent committers share one flush. The mapping is
   * private, so nothing reaches the data file except through the log.
   */
  MACHINE_CRASH
}
