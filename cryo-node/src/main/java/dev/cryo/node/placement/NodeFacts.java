package dev.cryo.node.placement;

import java.time.Instant;
import java.util.List;

/**
 * What a node tells the cluster about itself (JSON at {@code /cryo/nodes/NODE}, under its lease):
 * what placement needs to choose a host a program can be restored on, and how to reach the node.
 *
 * @param name the node's name, the CN of its certificate
 * @param kernel the kernel release
 * @param criuVersion the installed CRIU's version ("4.2.0"), or null if there is none
 * @param cpuModel the first processor's model name, or null if the kernel tells none
 * @param cpuFlags the first processor's feature flags
 * @param memoryTotalBytes MemTotal
 * @param memoryAvailableBytes MemAvailable when the facts were collected
 * @param jdks the JDKs the node holds
 * @param apiAddress HOST:PORT of the node's API
 * @param startedAt when the node started, ISO-8601 ({@link Instant#toString()})
 */
public record NodeFacts(
    String name,
    String kernel,
    String criuVersion,
    String cpuModel,
    List<String> cpuFlags,
    long memoryTotalBytes,
    long memoryAvailableBytes,
    List<JdkFacts> jdks,
    String apiAddress,
    String startedAt) {
  public NodeFacts {
    cpuFlags = cpuFlags == null ? List.of() : List.copyOf(cpuFlags);
    jdks = jdks == null ? List.of() : List.copyOf(jdks);
  }
}
