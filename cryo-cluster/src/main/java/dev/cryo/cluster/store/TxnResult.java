package dev.cryo.cluster.store;

/**
 * What a transaction came to.
 *
 * @param succeeded whether every comparison held (and the success branch was applied)
 * @param revision the store's revision after it
 */
public record TxnResult(boolean succeeded, long revision) {}
