package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

  /**
   * The lines of a /proc file, or empty if it cannot be read: the process it describes has ended,
   * or the file is not there on this kernel.
   */
  static Optional<List<String>> lines(Path file, Charset charset) {
    try {
      return Optional.of(Files.readAllLines(file, charset));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
