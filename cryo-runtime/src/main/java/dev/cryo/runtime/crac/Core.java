package dev.cryo.runtime.crac;

import dev.cryo.runtime.CheckpointRefusedException;
import dev.cryo.runtime.Cryo;
import dev.cryo.runtime.RestoreIncompleteException;

/** What {@code org.crac.Core} calls: the global context and the application's own checkpoint. */
public final class Core {
  private static final GlobalContext GLOBAL = new GlobalContext();

  private Core() {}

  public static Context<Resource> getGlobalContext() {
    return GLOBAL;
  }

  /**
   * Checkpoints this process through cryo; see {@link Cryo#checkpointRestore()}. {@code org.crac}
   * keeps only the suppressed exceptions of what this throws, so the reason is one of them.
   */
  public static void checkpointRestore() throws CheckpointException, RestoreException {
    try {
      Cryo.checkpointRestore();
    } catch (CheckpointRefusedException refused) {
      CheckpointException exception = new CheckpointException(refused.getMessage());
      exception.addSuppressed(refused);
      for (Throwable reason : refused.getSuppressed()) {
        exception.addSuppressed(reason);
      }
      throw exception;
    } catch (RestoreIncompleteException incomplete) {
      RestoreException exception = new RestoreException(incomplete.getMessage());
      for (Throwable failure : incomplete.getSuppressed()) {
        exception.addSuppressed(failure);
      }
      throw exception;
    }
  }
}
