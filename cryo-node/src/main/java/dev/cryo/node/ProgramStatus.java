package dev.cryo.node;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a program runs, as its owner last reported it ({@code cryo ps --cluster}).
 *
 * @param node the owner
 * @param status the run's status label ("running", "restoring", ...)
 * @param pid the program's PID on its owner's host, 0 if none
 * @param since when it entered that status (ISO-8601)
 * @param detail why, if the run says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgramStatus(String node, String status, int pid, String since, String detail) {}
