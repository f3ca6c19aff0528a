package dev.cryo.criu;

/**
 * Optional kernel-dependent capabilities that CRIU reports through a feature check: memory tracking
 * (incremental dumps), lazy pages over userfaultfd, and the pidfd store.
 */
public record CriuFeatures(boolean memoryTracking, boolean lazyPages, boolean pidfdStore) {}
