package dev.cryo.repository;

/**
 * What a prune did.
 *
 * @param deletedChunks chunks that no manifest referenced, deleted
 * @param deletedBytes their size in the object store
 * @param keptChunks chunks still referenced
 * @param checkpoints the checkpoints in the repository
 */
public record PruneSummary(int deletedChunks, long deletedBytes, int keptChunks, int checkpoints) {}
