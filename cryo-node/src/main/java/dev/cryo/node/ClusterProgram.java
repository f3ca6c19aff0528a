package dev.cryo.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cryo.node.placement.ProgramRequirements;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program submitted to the cluster ({@code cryo run --cluster}): what any node needs to start it
 * afresh or to carry on its run, and what a node must hold to be allowed to.
 *
 * @param name its unique name in the cluster
 * @param command the program and its arguments
 * @param workingDirectory where a cold start runs it
 * @param environment the environment of a cold start (etcd is private to the cluster's nodes)
 * @param address its service address, or null to run in the host's network
 * @param everyMillis how often its owner checkpoints it
 * @param keep how many checkpoints are kept
 * @param requirements what a node must hold, byte for byte, to run it
 * @param submittedFrom the host it was submitted from
 * @param submittedAt when (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterProgram(
    String name,
    List<String> command,
    String workingDirectory,
    Map<String, String> environment,
    String address,
    long everyMillis,
    int keep,
    ProgramRequirements requirements,
    String submittedFrom,
    String submittedAt) {
  public ClusterProgram {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }
}
