package dev.cryo.linux;

import java.nio.file.Path;

/**
 * Where /proc keeps a process's files. The calling process reads its own through {@code
 * /proc/self}: under {@code cryo run} it has a PID namespace of its own but the host's /proc, where
 * its own PID names another process.
 */
final class ProcFiles {
  private static final Path PROC = Path.of("/proc");

  private ProcFiles() {}

  static Path of(long pid) {
    return PROC.resolve(Long.toString(pid));
  }

  static Path self() {
    return PROC.resolve("self");
  }
}
