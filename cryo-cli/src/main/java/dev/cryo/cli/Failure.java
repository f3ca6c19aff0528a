package dev.cryo.cli;

import dev.cryo.checkpoint.FailureMessages;
import dev.cryo.checkpoint.PidInUseException;
import dev.cryo.checkpoint.ProcessNotFoundException;
import dev.cryo.cluster.pki.ClusterAuthorityExistsException;
import dev.cryo.cluster.pki.ClusterAuthorityMissingException;
import dev.cryo.cluster.store.CoordinationAccessDeniedException;
import dev.cryo.cluster.store.CoordinationUnavailableException;
import dev.cryo.cluster.tls.ClusterTlsException;
import dev.cryo.criu.CriuException;
import dev.cryo.criu.CriuOperationException;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.images.CheckpointNotFoundException;
import dev.cryo.images.CorruptCheckpointException;
import dev.cryo.images.ImageStoreException;
import dev.cryo.images.ImageStoreUnusableException;
import dev.cryo.images.NameTakenException;
import dev.cryo.node.ClusterClient;
import dev.cryo.node.NodeNameTakenException;
import dev.cryo.node.address.AddressInUseException;
import dev.cryo.participants.ParticipantException;
import dev.cryo.participants.UnreachableParticipantException;
import dev.cryo.repository.CorruptObjectException;
import dev.cryo.repository.KeyFileException;
import dev.cryo.repository.ObjectStoreAccessDeniedException;
import dev.cryo.repository.ObjectStoreMissingException;
import dev.cryo.repository.ObjectStoreUnavailableException;
import dev.cryo.repository.RepositoryBusyException;
import dev.cryo.repository.RepositoryExistsException;
import dev.cryo.repository.WrongKeyException;
import dev.cryo.supervisor.RunNameTakenException;
import dev.cryo.supervisor.RunNotFoundException;
import java.util.List;

/**
 * Turns an exception into what the user sees: one line saying what went wrong and what to do, and
 * the exit code for its kind.
 */
record Failure(ExitCode exitCode, String message, List<String> details) {

  static Failure of(Throwable error) {
    ImageStoreException storeCause = FailureMessages.cause(error, ImageStoreException.class);
    String message = FailureMessages.describe(error) + storeOptionHint(error, storeCause);
    if (error instanceof CriuOperationException criu && storeCause != null) {
      return new Failure(exitCodeOf(storeCause), message, criu.logExcerpt());
    }
    if (error instanceof CriuOperationException criu) {
      return new Failure(
          criu.noSpaceLeft() ? ExitCode.STORE : ExitCode.CRIU_FAILED, message, criu.logExcerpt());
    }
    return new Failure(exitCodeOf(error), message + hint(error), List.of());
  }

  /** What to do about a library's error, in the command line's words. */
  private static String hint(Throwable error) {
    if (error instanceof RunNameTakenException taken) {
      return "; choose another name, or 'cryo stop " + taken.name() + "' first";
    }
    if (error instanceof RunNotFoundException) {
      return "; 'cryo ps' lists them";
    }
    if (error instanceof UnreachableParticipantException) {
      return "; to checkpoint it without telling it, use --plain";
    }
    return "";
  }

  /**
   * The option that picks another image store, for the failures another store may cure: the
   * libraries' messages stop at what to do, and the command line names its own option.
   */
  private static String storeOptionHint(Throwable error, ImageStoreException storeCause) {
    if (error instanceof ImageStoreUnusableException) {
      return " with --store DIR";
    }
    if (error instanceof CriuOperationException criu && storeCause == null && criu.noSpaceLeft()) {
      return " or choose another with --store DIR";
    }
    return "";
  }

  private static ExitCode exitCodeOf(Throwable error) {
    if (error instanceof CoordinationUnavailableException) {
      return ExitCode.CLUSTER_UNAVAILABLE;
    }
    if (error instanceof CoordinationAccessDeniedException) {
      return ExitCode.CLUSTER_ACCESS_DENIED;
    }
    if (error instanceof ClusterConnection.MissingClusterSettingException
        || error instanceof ClusterTlsException) {
      return ExitCode.USAGE;
    }
    if (error instanceof ProcessNotFoundException
        || error instanceof ClusterClient.UnknownProgramException
        || error instanceof ClusterClient.UnknownNodeException
        || error instanceof ClusterClient.NotRunningException
        || error instanceof CheckpointNotFoundException
        || error instanceof StandbyCommand.NoStandbyException
        || error instanceof RunNotFoundException
        || error instanceof RunCommand.CommandNotFoundException
        || error instanceof ClusterAuthorityMissingException) {
      return ExitCode.NOT_FOUND;
    }
    if (error instanceof CorruptCheckpointException || error instanceof CorruptObjectException) {
      return ExitCode.CORRUPT;
    }
    if (error instanceof ObjectStoreUnavailableException) {
      return ExitCode.REMOTE_UNAVAILABLE;
    }
    if (error instanceof ObjectStoreAccessDeniedException) {
      return ExitCode.REMOTE_ACCESS_DENIED;
    }
    if (error instanceof ObjectStoreMissingException) {
      return ExitCode.REMOTE_MISSING;
    }
    if (error instanceof WrongKeyException || error instanceof KeyFileException) {
      return ExitCode.WRONG_KEY;
    }
    if (error instanceof PidInUseException
        || error instanceof NameTakenException
        || error instanceof RepositoryBusyException
        || error instanceof RepositoryExistsException
        || error instanceof RunNameTakenException
        || error instanceof ClusterClient.ProgramNameTakenException
        || error instanceof ClusterClient.AddressTakenException
        || error instanceof NodeNameTakenException
        || error instanceof AddressInUseException
        || error instanceof RestoreCommand.OriginalRunningException
        || error instanceof StandbyCommand.StandbyExistsException
        || error instanceof ClusterAuthorityExistsException) {
      return ExitCode.CONFLICT;
    }
    if (error instanceof RunCommand.RunNotStartedException) {
      return ExitCode.NOT_STARTED;
    }
    if (error instanceof ImageStoreException) {
      return ExitCode.STORE;
    }
    if (error instanceof ParticipantException) {
      return ExitCode.REFUSED;
    }
    if (error instanceof CriuUnavailableException) {
      return ExitCode.CRIU_UNAVAILABLE;
    }
    if (error instanceof CriuException
        || error instanceof CheckpointCommand.ClusterCheckpointFailedException) {
      return ExitCode.CRIU_FAILED;
    }
    return ExitCode.INTERNAL;
  }
}
