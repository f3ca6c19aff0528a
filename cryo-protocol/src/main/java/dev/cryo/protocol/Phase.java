package dev.cryo.protocol;

import java.util.Optional;

/**
 * The phases of the checkpoint protocol (docs/protocol.md): what each message is, named on the wire
 * by its {@code phase} field. cryo sends the requests, the process the replies.
 */
public enum Phase {
  /** cryo: a checkpoint is about to be taken. */
  PENDING("pending"),
  /** The process: ready to be dumped. */
  READY("ready"),
  /** The process: no checkpoint now. */
  REFUSED("refused"),
  /** cryo: the checkpoint was taken and the original process goes on. */
  RESUMED("resumed"),
  /** cryo: this process was restored from the checkpoint. */
  RESTORED("restored"),
  /** cryo: after ready, the checkpoint failed. */
  ABORTED("aborted"),
  /** The process: it has taken up its work again. */
  DONE("done"),
  /** The process: the request was not understood or not allowed. */
  ERROR("error");

  private final String wireName;

  Phase(String wireName) {
    this.wireName = wireName;
  }

  /** The value of the {@code phase} field. */
  public String wireName() {
    return wireName;
  }

  /** The phase a {@code phase} field names, if it names one. */
  public static Optional<Phase> ofWireName(Object value) {
    for (Phase phase : values()) {
      if (phase.wireName.equals(value)) {
        return Optional.of(phase);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
