package dev.cryo.cli;

import dev.cryo.checkpoint.PidInUseException;
import dev.cryo.checkpoint.ProcessNotFoundException;
import dev.cryo.coordination.CoordinationException;
import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.NameTakenException;
import dev.cryo.images.StoreException;
import java.util.List;

/**
 * Turns an exception into what the user sees: one line saying what went wrong and what to do,
 * and the exit code for its kind.
 */
record Failure(ExitCode exitCode, String message, List<String> details) {

  static Failure of(Throwable error) {
    StoreException storeCause = find(error, StoreException.class);
    if (error instanceof CriuOperationException criu && storeCause != null) {
      // The images could not be stored while the process was frozen: CRIU resumed it.
      return new Failure(exitCodeOf(storeCause), storeCause.getMessage() + "; the process was left running",
          criu.logExcerpt());
    }
    if (error instanceof CriuOperationException criu) {
      String log = criu.logFile().map(p -> " (log: " + p + ")").orElse("");
      if (criu.noSpaceLeft()) {
        return new Failure(ExitCode.STORE, criu.getMessage() + log
            + "; free space in the image store or choose another with --store DIR", criu.logExcerpt());
      }
      return new Failure(ExitCode.CRIU_FAILED, criu.getMessage() + log, criu.logExcerpt());
    }
    String message = error.getMessage() != null ? error.getMessage() : error.getClass().getName();
    return new Failure(exitCodeOf(error), message, List.of());
  }

  private static ExitCode exitCodeOf(Throwable error) {
    if (error instanceof ProcessNotFoundException || error instanceof CheckpointNotFoundException) {
      return ExitCode.NOT_FOUND;
    }
    if (error instanceof CorruptCheckpointException) {
      return ExitCode.CORRUPT;
    }
    if (error instanceof PidInUseException || error instanceof NameTakenException) {
      return ExitCode.CONFLICT;
    }
    if (error instanceof StoreException) {
      return ExitCode.STORE;
    }
    if (error instanceof CoordinationException) {
      return ExitCode.REFUSED;
    }
    if (error instanceof CriuUnavailableException) {
      return ExitCode.CRIU_UNAVAILABLE;
    }
    if (error instanceof CriuException) {
      return ExitCode.CRIU_FAILED;
    }
    return ExitCode.INTERNAL;
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
