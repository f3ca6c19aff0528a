package dev.cryo.node;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something that happened to a cluster program, decided by a node or reported by its run: kept in
 * the coordination store, so that {@code cryo events --cluster} tells the whole story from any
 * host.
 *
 * @param time when (ISO-8601)
 * @param node the node that recorded it
 * @param type what kind ("placed", "restored", "fenced", ...)
 * @param message what happened and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterEvent(String time, String node, String type, String message) {}
