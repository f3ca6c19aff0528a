package dev.cryo.runtime.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's start time as the kernel records it ({@code /proc/PID/stat}, field 22). A restored
 * process is a new process to the kernel, so its start time differs from the original's even
 * where its PID is the same: that is how the runtime notices a restore nobody told it about, and
 * how it tells a coordinator that died from one whose PID was reused.
 */
public final class ProcessStart {
  private ProcessStart() {
  }

  public static OptionalLong of(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "stat"));
  }

  public static OptionalLong self() {
    return read(Path.of("/proc/self/stat"));
  }

  private static OptionalLong read(Path stat) {
    try {
      String text = Files.readString(stat);
      // The command name (field 2) is in parentheses and may hold spaces: count from its end.
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return OptionalLong.of(Long.parseLong(fields[19]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
