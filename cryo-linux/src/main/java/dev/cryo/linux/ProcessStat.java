package dev.cryo.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process's line in {@code /proc/PID/stat}: the fields Cryo reads from it, among them its start
 * time (field 22). A restored process is a new process to the kernel, so its start time differs
 * from the original's even where its PID is the same: that is how a restore nobody announced is
 * noticed, and how a process that ended is told from a new one that has its PID.
 *
 * @param startTime clock ticks after boot at which the process started
 */
public record ProcessStat(
    int pid, String name, char state, int parent, int processGroup, int session, long startTime) {

  /** The stat of the process with this PID as /proc shows it, if there is one. */
  public static Optional<ProcessStat> of(long pid) {
    return read(ProcFiles.of(pid).resolve("stat"));
  }

  /** The stat of the calling process, whichever PID namespace it is in. */
  public static Optional<ProcessStat> self() {
    return read(ProcFiles.self().resolve("stat"));
  }

  /** The start time of the process with this PID, if there is one. */
  public static OptionalLong startTimeOf(long pid) {
    return startTime(of(pid));
  }

  /** The start time of the calling process. */
  public static OptionalLong ownStartTime() {
    return startTime(self());
  }

  private static OptionalLong startTime(Optional<ProcessStat> stat) {
    return stat.map(s -> OptionalLong.of(s.startTime())).orElse(OptionalLong.empty());
  }

  /** Reads a stat file; empty if it cannot be read (the process has ended) or parsed. */
  public static Optional<ProcessStat> read(Path file) {
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.ISO_8859_1)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses the line. The name (field 2) is in parentheses and may hold spaces and parentheses
   * itself, so the fields after it are counted from its last closing parenthesis.
   *
   * @throws IllegalArgumentException if the line is not of that shape
   */
  public static ProcessStat parse(String stat) {
    try {
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      int pid = Integer.parseInt(stat.substring(0, open).trim());
      String name = stat.substring(open + 1, close);
      String[] rest = stat.substring(close + 2).trim().split(" ");
      // After the name: state (field 3), ppid, pgrp, session, ... starttime (field 22).
      return new ProcessStat(
          pid,
          name,
          rest[0].charAt(0),
          Integer.parseInt(rest[1]),
          Integer.parseInt(rest[2]),
          Integer.parseInt(rest[3]),
          Long.parseLong(rest[19]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat, e);
    }
  }
}
