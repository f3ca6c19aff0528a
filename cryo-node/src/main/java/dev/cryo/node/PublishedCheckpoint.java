package dev.cryo.node;

/**
 * The checkpoint a program comes back from when its owner is lost. Only its owner writes it, and
 * only while it still owns the program in the same epoch (a transaction): a checkpoint taken by a
 * node that lost the program never becomes this.
 *
 * @param name the checkpoint's name in the remote repository
 * @param node the node that took it
 * @param epoch the ownership epoch it was taken in (the owner key's create revision)
 * @param at when it was published (ISO-8601)
 */
public record PublishedCheckpoint(String name, String node, long epoch, String at) {}
