package dev.cryo.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What to checkpoint and how.
 *
 * @param pid the root of the process tree
 * @param name the name to restore it by, or null for its id alone
 * @param leaveRunning whether the tree keeps running after the dump
 * @param participantTimeout how long processes that take part in the checkpoint protocol may take
 *     to get ready
 * @param tellParticipants whether to tell such processes at all; without, every process gets a
 *     plain dump
 * @param run the supervised program the checkpoint belongs to ({@code cryo run --name}), or null
 * @param resumeBeforeStoring with {@code leaveRunning}, tell the processes {@code resumed} as soon
 *     as the images are taken, before they are checksummed and published: the shortest pause, for
 *     periodic checkpoints; without it they learn of the checkpoint only once it is safely stored
 * @param compress whether to store the memory compressed with zstd, after the dump: a smaller image
 *     for a slower restore (which must expand it first)
 * @param programPid the process inside the tree that the checkpoint is for, such as a supervised
 *     program below its namespace's init, or 0: if it has ended by the time CRIU freezes the tree,
 *     nothing is stored, since a restore would bring back the tree without it
 * @param holdFromPending with {@code leaveRunning}, hold new connections to the tree's listening
 *     ports from before {@code pending} is sent until the program listens again, in case it closes
 *     its listeners when told (as programs written for CRaC do); without it, a port is held only
 *     from when its listener is found closed after {@code pending}, which spares the clients of a
 *     program known to keep its listeners open a wait, but may let others be refused meanwhile
 * @param network the file of the existing network namespace the tree runs in (such as {@code
 *     /run/netns/NAME}), which the checkpoint then leaves out ({@link ExternalNetwork}): it is
 *     restored into whatever namespace the restore is given; null for a tree whose network, if its
 *     own, is part of the checkpoint
 */
public record CheckpointRequest(
    int pid,
    String name,
    boolean leaveRunning,
    Duration participantTimeout,
    boolean tellParticipants,
    String run,
    boolean resumeBeforeStoring,
    boolean compress,
    int programPid,
    boolean holdFromPending,
    Path network) {
  /** The default time processes get to prepare for a checkpoint. */
  public static final Duration DEFAULT_PARTICIPANT_TIMEOUT = Duration.ofSeconds(30);

  public CheckpointRequest {
    Objects.requireNonNull(participantTimeout, "participantTimeout");
    if (participantTimeout.isNegative() || participantTimeout.isZero()) {
      throw new IllegalArgumentException(
          "the participant timeout must be positive, not " + participantTimeout);
    }
  }

  /** A request for a tree whose network, if its own, is part of the checkpoint. */
  public CheckpointRequest(
      int pid,
      String name,
      boolean leaveRunning,
      Duration participantTimeout,
      boolean tellParticipants,
      String run,
      boolean resumeBeforeStoring,
      boolean compress,
      int programPid,
      boolean holdFromPending) {
    this(
        pid,
        name,
        leaveRunning,
        participantTimeout,
        tellParticipants,
        run,
        resumeBeforeStoring,
        compress,
        programPid,
        holdFromPending,
        null);
  }

  public static CheckpointRequest of(int pid, String name, boolean leaveRunning) {
    return new CheckpointRequest(
        pid, name, leaveRunning, DEFAULT_PARTICIPANT_TIMEOUT, true, null, false, false, 0, true);
  }

  /** The same request, for a tree that runs in the existing network namespace {@code file}. */
  public CheckpointRequest withNetwork(Path file) {
    return new CheckpointRequest(
        pid,
        name,
        leaveRunning,
        participantTimeout,
        tellParticipants,
        run,
        resumeBeforeStoring,
        compress,
        programPid,
        holdFromPending,
        file);
  }
}
