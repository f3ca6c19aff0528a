package dev.cryo.node;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A node's answer to "could you run this program?", published under its lease: placement chooses
 * only among nodes that said yes, and a program that no node fits waits, with the reasons.
 *
 * @param fits whether it can
 * @param why why not, in words a user can act on; null when it fits
 * @param specRevision the revision of the program's spec this answers
 * @param answeredAt when (epoch milliseconds): the files of a host change, so an answer ages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeFit(boolean fits, String why, long specRevision, long answeredAt) {
  /** How long an answer stands for a program that waits for a node. */
  public static final long FRESH_MILLIS = 15_000;

  /** How often a node answers again for a program that waits for one. */
  static final long RENEW_MILLIS = 10_000;

  /** Whether this answers the spec at {@code revision}, and recently enough to place by. */
  boolean current(long revision, long now) {
    return specRevision == revision && now - answeredAt <= FRESH_MILLIS;
  }
}
