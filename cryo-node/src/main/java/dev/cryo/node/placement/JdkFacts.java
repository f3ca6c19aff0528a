package dev.cryo.node.placement;

/**
 * A JDK installed on a node. A JVM restores only on the very build it was checkpointed with (CRIU
 * reads unchanged pages of libjvm.so and lib/modules again from disk), so placement compares
 * fingerprints, not version strings.
 *
 * @param home the JDK's directory, symbolic links resolved
 * @param runtimeVersion JAVA_RUNTIME_VERSION from its {@code release} file, or null if it has none
 * @param fingerprint see {@link Jdks#fingerprint}
 */
public record JdkFacts(String home, String runtimeVersion, String fingerprint) {}
