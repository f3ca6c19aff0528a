package dev.cryo.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the supervisor last knew of its program, written after every change so that a new supervisor
 * can pick the program up where the last one left it.
 *
 * @param status where the run stands
 * @param initPid the PID (as this host sees it) of the init of the program's PID namespace, the
 *     root of what is checkpointed
 * @param initStartTime that process's start time, so that a reused PID is not taken for it
 * @param mainPid the program itself, the init's child
 * @param supervisorPid the supervisor that wrote this
 * @param restarts how many times the program was brought back
 * @param streak how many times in a row it ended soon after being (re)started, without a checkpoint
 *     in between
 * @param since when the program was last started or restored (ISO-8601)
 * @param detail why the run ended, for final states
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunState(
    RunStatus status,
    int initPid,
    long initStartTime,
    int mainPid,
    long supervisorPid,
    int restarts,
    int streak,
    String since,
    String detail) {

  /** The state of a program that runs, as {@code supervisor} last saw it. */
  static RunState running(
      ProgramTree program, long supervisor, int restarts, int streak, String since) {
    return new RunState(
        RunStatus.RUNNING,
        program.initPid(),
        program.initStartTime(),
        program.mainPid(),
        supervisor,
        restarts,
        streak,
        since,
        null);
  }

  RunState withStreak(int newStreak) {
    return new RunState(
        status, initPid, initStartTime, mainPid, supervisorPid, restarts, newStreak, since, detail);
  }

  public RunState withStatus(RunStatus newStatus, String newDetail) {
    return new RunState(
        newStatus,
        initPid,
        initStartTime,
        mainPid,
        supervisorPid,
        restarts,
        streak,
        since,
        newDetail);
  }

  public RunState withSupervisor(long pid) {
    return new RunState(
        status, initPid, initStartTime, mainPid, pid, restarts, streak, since, detail);
  }
}
