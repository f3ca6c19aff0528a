package dev.cryo.node;

/**
 * Where the cluster keeps what it agrees on in the coordination store: the one place that knows the
 * key layout (docs/cluster.md, "What etcd holds").
 */
public final class ClusterKeys {
  public static final String ROOT = "/cryo/";
  public static final String NODES = ROOT + "nodes/";
  public static final String PROGRAMS = ROOT + "programs/";
  public static final String ADDRESSES = ROOT + "addresses/";

  /**
   * Events live beside the cluster's state, not under {@link #ROOT}: nodes read and watch all of
   * ROOT, and the events, which only people read, would make both grow with every checkpoint.
   */
  public static final String EVENTS = "/cryo-events/";

  public static final String LEADER = ROOT + "leader";

  private ClusterKeys() {}

  public static String node(String node) {
    return NODES + node;
  }

  public static String program(String program) {
    return PROGRAMS + program + "/";
  }

  /** What the program is: its {@link ClusterProgram}. */
  public static String spec(String program) {
    return program(program) + "spec";
  }

  /** Which node owns it, under that node's lease; its create revision is the ownership epoch. */
  public static String owner(String program) {
    return program(program) + "owner";
  }

  /** Its newest published checkpoint: a {@link PublishedCheckpoint}. */
  public static String checkpoint(String program) {
    return program(program) + "checkpoint";
  }

  /** How it runs, as its owner last saw it: a {@link ProgramStatus}. */
  public static String status(String program) {
    return program(program) + "status";
  }

  /** Present once someone asked for it to stop. */
  public static String stop(String program) {
    return program(program) + "stop";
  }

  /** Whether {@code node} can run it: a {@link NodeFit}, under the node's lease. */
  public static String fit(String program, String node) {
    return program(program) + "fit/" + node;
  }

  public static String fitPrefix(String program) {
    return program(program) + "fit/";
  }

  /** An on-demand checkpoint asked for by {@code cryo checkpoint NAME --cluster}. */
  public static String checkpointRequest(String program) {
    return program(program) + "checkpoint-request";
  }

  public static String address(String ip) {
    return ADDRESSES + ip;
  }

  public static String events(String program) {
    return EVENTS + program + "/";
  }

  /** The program a key under {@link #PROGRAMS} belongs to, or null. */
  static String programOf(String key) {
    if (!key.startsWith(PROGRAMS)) {
      return null;
    }
    String rest = key.substring(PROGRAMS.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? null : rest.substring(0, slash);
  }

  /** What a key under a program's prefix is ("spec", "owner", "fit/NODE", ...), or null. */
  static String partOf(String key) {
    String program = programOf(key);
    return program == null ? null : key.substring(program(program).length());
  }
}
