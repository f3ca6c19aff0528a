package dev.cryo.node;

/**
 * What the node remembers of a program it runs, on disk so that a restarted node carries on: the
 * ownership epoch its run was started in, and how many of the run's events it has already handed to
 * the cluster.
 *
 * @param epoch the owner key's create revision when the run was started
 * @param eventsSeen how many of the run's events were forwarded (and uploads published)
 * @param announced whether the service address was announced after the program first ran
 * @param address the program's service address, or null
 */
record ProgramRecord(long epoch, int eventsSeen, boolean announced, String address) {
  ProgramRecord withEventsSeen(int seen) {
    return new ProgramRecord(epoch, seen, announced, address);
  }

  ProgramRecord markAnnounced() {
    return new ProgramRecord(epoch, eventsSeen, true, address);
  }
}
