package dev.cryo.checkpoint;

import dev.cryo.criu.CriuOperationException;
import dev.cryo.images.ImageStoreException;
import dev.cryo.participants.ParticipantException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * What a failed checkpoint leaves behind: its staged images discarded or set aside, CRIU's log kept
 * for the user, a killed CRIU's network lock released, the participants told, and the error
 * reported. {@link #decide} is the one place that decides it; {@link CheckpointAttempt#abort}
 * carries it out.
 *
 * @param keepDumpLog whether CRIU's log outlives the staging directory, for the user to read
 * @param releaseNetworkLock whether to delete the network lock that a killed CRIU left
 * @param abortReason what the participants are told, if anything: those of a tree that runs on
 */
record Aftermath(
    Images images,
    boolean keepDumpLog,
    boolean releaseNetworkLock,
    Optional<String> abortReason,
    Report report) {

  /** What happens to the staged images. */
  enum Images {
    /** Nothing was staged. */
    NONE,
    /** Thrown away: the tree still runs, and nothing of the attempt is visible. */
    DISCARD,
    /**
     * Set aside, never cleared automatically: the dump ended the tree, and they are all that is
     * left of it.
     */
    KEEP_UNPUBLISHED
  }

  /**
   * The error to report once the aftermath is carried out, from where CRIU's log and the images
   * went.
   */
  @FunctionalInterface
  interface Report {
    Exception exception(Optional<Path> keptLog, Path keptImages);
  }

  /**
   * Decides, from how far the attempt got and how it failed, what is kept, what is discarded, who
   * is told and what is reported.
   *
   * @param staged whether images were staged
   * @param treeEnded whether the dump ended the tree, so that its images are the only copy of it
   * @param abandoned the process the watchdog stopped CRIU for, if it had to
   * @param endedProcess the program or root that has ended, if one has: asked only after a failed
   *     dump
   */
  static Aftermath decide(
      Exception error,
      boolean staged,
      boolean treeEnded,
      OptionalInt abandoned,
      Supplier<OptionalInt> endedProcess) {
    if (!staged) {
      return new Aftermath(Images.NONE, false, false, Optional.empty(), (log, kept) -> error);
    }
    if (treeEnded) {
      // The images are the only copy of the process now: keep them whatever happens. Its
      // participants have ended with it.
      return new Aftermath(
          Images.KEEP_UNPUBLISHED,
          false,
          false,
          Optional.empty(),
          (log, kept) ->
              new ImageStoreException(
                  "the process was ended after its dump but the checkpoint could not be published: "
                      + error.getMessage()
                      + "; its images are kept in "
                      + kept,
                  error));
    }
    if (error instanceof ParticipantException) {
      // Those told pending heard aborted when one of them refused.
      return new Aftermath(Images.DISCARD, false, false, Optional.empty(), (log, kept) -> error);
    }
    if (error instanceof CriuOperationException criuFailure) {
      return afterFailedDump(criuFailure, abandoned, endedProcess);
    }
    String reason =
        error instanceof ImageStoreException
            ? "the checkpoint could not be stored: "
            : "the checkpoint failed: ";
    return new Aftermath(
        Images.DISCARD,
        false,
        false,
        Optional.of(reason + error.getMessage()),
        (log, kept) -> error);
  }

  /**
   * {@link #decide} for a dump that CRIU failed, or that a hook or the watchdog stopped: the tree
   * runs on.
   */
  private static Aftermath afterFailedDump(
      CriuOperationException error, OptionalInt abandoned, Supplier<OptionalInt> endedProcess) {
    Optional<String> abortReason = Optional.of("the dump failed: " + error.getMessage());
    if (abandoned.isPresent()) {
      return new Aftermath(
          Images.DISCARD,
          true,
          true,
          abortReason,
          (log, kept) ->
              new ProcessNotFoundException(
                  "PID "
                      + abandoned.getAsInt()
                      + " ended during the checkpoint and CRIU did not let go of it within "
                      + StuckDumpWatchdog.GRACE.toSeconds()
                      + " s, so CRIU was stopped; nothing was stored, and the rest of "
                      + "the tree may need a restart"
                      + log.map(l -> " (CRIU's log: " + l + ")").orElse("")));
    }
    // The post-dump hook's refusal: the dump was fine, the program was not in it.
    ProcessNotFoundException refused = FailureMessages.cause(error, ProcessNotFoundException.class);
    if (refused != null) {
      return new Aftermath(Images.DISCARD, false, false, abortReason, (log, kept) -> refused);
    }
    // CRIU's own error for a tree whose program died under it says little (a failed lock rule, a
    // vanished task): the ending is the cause.
    OptionalInt gone = endedProcess.get();
    if (gone.isPresent()) {
      return new Aftermath(
          Images.DISCARD,
          true,
          false,
          abortReason,
          (log, kept) ->
              new ProcessNotFoundException(
                  "PID " + gone.getAsInt() + " ended during the checkpoint; nothing was stored"));
    }
    return new Aftermath(
        Images.DISCARD,
        true,
        false,
        abortReason,
        (log, kept) -> log.map(error::withLogFile).orElse(error));
  }
}
