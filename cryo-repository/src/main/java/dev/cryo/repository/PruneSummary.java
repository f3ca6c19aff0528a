package dev.cryo.repository;

/**
 * What a prune did.
 *
 * @param deletedPacks packs none of whose chunks any checkpoint uses, deleted
 * @param deletedBytes their size in the object store
 * @param keptPacks packs with chunks still in use
 * @param unusedBytesKept bytes of chunks no checkpoint uses, inside packs kept for their others
 * @param checkpoints the checkpoints in the repository
 */
public record PruneSummary(
    int deletedPacks, long deletedBytes, int keptPacks, long unusedBytesKept, int checkpoints) {}
