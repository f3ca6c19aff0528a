package dev.cryo.node;

import dev.cryo.supervisor.RunDirectory;
import java.io.IOException;

/**
 * Starts the supervisor of a run the node created, in a process of its own that outlives the node
 * (the CLI's {@code cryo supervise NAME}): a node that dies or restarts leaves its programs
 * running, watched by their supervisors and guarded by the lease's fence.
 */
@FunctionalInterface
public interface SupervisorStarter {
  void start(RunDirectory run) throws IOException;
}
