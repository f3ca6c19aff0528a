package dev.cryo.supervisor;

import java.io.IOException;

/**
 * Starts a run's command afresh: what the supervisor needs of {@link ProgramLauncher}, so that its
 * decisions can be tested without starting programs.
 */
interface ProgramStarter {
  /**
   * Starts the program and returns its tree once the program itself runs. A program that ended at
   * once is returned too, no longer alive.
   *
   * @throws IOException when it cannot be started at all
   */
  ProgramTree start(RunDirectory run, RunSpec spec) throws IOException;
}
