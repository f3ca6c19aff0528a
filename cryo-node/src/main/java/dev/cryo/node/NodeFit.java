package dev.cryo.node;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A node's answer to "could you run this program?", published under its lease: placement chooses
 * only among nodes that said yes, and a program that no node fits waits, with the reasons.
 *
 * @param fits whether it can
 * @param why why not, in words a user can act on; null when it fits
 * @param specRevision the revision of the program's spec this answers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeFit(boolean fits, String why, long specRevision) {}
