package dev.cryo.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One decision or happening of a run, with its reason: what {@code cryo events} lists.
 *
 * @param time when (ISO-8601, UTC)
 * @param type what kind: {@code started}, {@code checkpointed}, {@code checkpoint-failed}, {@code
 *     died}, {@code restored}, {@code restore-failed}, {@code skipped}, {@code gave-up}, ...
 * @param message what happened and why, in a sentence
 * @param checkpoint the checkpoint concerned, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String time, String type, String message, String checkpoint) {}
