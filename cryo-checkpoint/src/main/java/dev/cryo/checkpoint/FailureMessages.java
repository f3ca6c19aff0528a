package dev.cryo.checkpoint;

import dev.cryo.criu.CriuOperationException;
import dev.cryo.images.ImageStoreException;
import java.util.Optional;

/**
 * The one-line account of a failed operation that users read, from the command line or from a
 * supervised program's events: what went wrong, and what to do about it.
 */
public final class FailureMessages {
  private FailureMessages() {}

  public static String describe(Throwable error) {
    ImageStoreException storeCause = cause(error, ImageStoreException.class);
    if (error instanceof CriuOperationException && storeCause != null) {
      // The images could not be stored while the process was frozen: CRIU resumed it.
      return storeCause.getMessage() + "; the process was left running";
    }
    if (error instanceof CriuOperationException criu) {
      String log = criu.logFile().map(p -> " (log: " + p + ")").orElse("");
      if (criu.noSpaceLeft()) {
        return criu.getMessage() + log + "; free space in the image store";
      }
      Optional<String> resourceLimits = ResourceLimitAccess.explain(criu);
      if (resourceLimits.isPresent()) {
        return resourceLimits.get() + log;
      }
      return criu.getMessage() + log;
    }
    return error.getMessage() != null ? error.getMessage() : error.getClass().getName();
  }

  /** The first exception of {@code type} in {@code error}'s chain of causes, or null. */
  public static <T extends Throwable> T cause(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
