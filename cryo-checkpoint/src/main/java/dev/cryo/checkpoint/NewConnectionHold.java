package dev.cryo.checkpoint;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.Nftables;
import dev.cryo.linux.TcpSockets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps new clients of a program waiting, rather than refused, while the program does not listen
 * during a checkpoint that leaves it running. Programs written for CRaC (Spring Boot among them)
 * close their listening sockets when told {@code pending} and open them again once resumed; in
 * between, the kernel would answer a connection attempt with a reset, and the client would fail.
 *
 * <p>While the hold is engaged, a packet filter rule in the program's network namespace drops the
 * first packet (SYN) of new TCP connections to the ports the program listened on. The client's
 * kernel sends it again, after one second and then with growing gaps, until the program listens
 * again and the hold is lifted; established connections are not touched. Each port is let go as
 * soon as the program listens on it after {@code pending} (a program that keeps its listener open
 * through the checkpoint queues new connections itself), and at the latest after {@link #LIMIT}:
 * the rule's elements expire by themselves even if this process dies holding them.
 */
final class NewConnectionHold implements AutoCloseable {
  /**
   * The longest a port is held: enough for a slow restart of a web server, short enough to be a
   * checkpoint's.
   */
  static final Duration LIMIT = Duration.ofSeconds(30);

  /**
   * The safety net: the kernel drops the rule's elements after this long whatever happens to cryo.
   */
  private static final Duration EXPIRY = Duration.ofMinutes(2);

  /** The longest a checkpoint waits for connections already under way to reach the program. */
  private static final Duration ARRIVAL_LIMIT = Duration.ofMillis(250);

  private static final Duration POLL = Duration.ofMillis(2);
  private static final String TABLE_PREFIX = "cryo-hold-";
  private static final Pattern HOLD_TABLE =
      Pattern.compile("table inet (" + TABLE_PREFIX + "(\\d{8}-\\d{6})-[0-9a-f-]+)");
  private static final DateTimeFormatter TABLE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final int pid;
  private final String table;
  private final Set<Integer> held;
  private final Consumer<String> notices;
  private boolean released;

  private NewConnectionHold(int pid, String table, Set<Integer> held, Consumer<String> notices) {
    this.pid = pid;
    this.table = table;
    this.held = held;
    this.notices = notices;
  }

  /** A hold that holds nothing. */
  static NewConnectionHold none() {
    return new NewConnectionHold(0, null, new TreeSet<>(), s -> {});
  }

  /**
   * Holds new connections to {@code ports} in the network namespace of {@code pid}. With no ports,
   * or if the packet filter cannot be set (no {@code nft}), holds nothing; the latter is said in
   * {@code notices}, since clients will then be refused while the program does not listen.
   */
  static NewConnectionHold engage(
      int pid, Set<Integer> ports, String checkpointId, Consumer<String> notices) {
    if (ports.isEmpty()) {
      return none();
    }
    removeExpired(pid);
    String table = TABLE_PREFIX + checkpointId.replaceAll("[^A-Za-z0-9-]", "-");
    String elements = expiring(ports);
    Nftables.Outcome outcome =
        Nftables.run(
            pid,
            "table inet "
                + table
                + " {\n"
                + "  set ports { type inet_service; flags timeout; elements = { "
                + elements
                + " } }\n"
                + "  set requests { type inet_service; flags timeout; }\n"
                + "  chain input {\n"
                + "    type filter hook input priority raw; policy accept;\n"
                + "    tcp dport @ports tcp flags & (fin | syn | rst | ack) == syn drop\n"
                + "    tcp dport @requests tcp flags & psh == psh drop\n"
                + "  }\n"
                + "}\n");
    if (!outcome.succeeded()) {
      notices.accept(
          "warning: new connections to port"
              + (ports.size() > 1 ? "s " : " ")
              + join(ports)
              + " are not held during the checkpoint, so clients may be refused while the program does not listen: "
              + outcome.output());
      return none();
    }
    return new NewConnectionHold(pid, table, new TreeSet<>(ports), notices);
  }

  /**
   * Waits, at most {@link #ARRIVAL_LIMIT}, until the connections that reached the held ports before
   * the hold are in the program's hands: no handshake under way, no connection waiting to be
   * accepted, no request received and not yet read, and no connection whose client has yet to send
   * its first request. A program that closes its listener drops (with a reset, or unanswered)
   * whatever it has not taken yet, and {@link #holdRequests} would hold a first request, which its
   * client does not send again on a new connection: these clients would fail.
   */
  void awaitArrivals() {
    long deadline = System.nanoTime() + ARRIVAL_LIMIT.toNanos();
    while (!held.isEmpty()
        && System.nanoTime() < deadline
        && (hasArrivals(TcpSockets.inNamespaceOf(pid))
            || TcpSockets.connectionsWithoutData(pid, held) > 0)) {
      sleep(POLL);
    }
  }

  /**
   * Also holds, until {@link #releaseRequests}, the requests that clients send on connections the
   * program has already accepted (segments that carry data, marked PSH): a web server told {@code
   * pending} closes those connections, and one that reads a request while it stops may answer it
   * with an error (Tomcat answers 400 once its host is unmapped). Held, the request is sent again
   * by the client's kernel; it then finds the connection closed, and the client sends it again on a
   * new connection, as HTTP clients do with a kept-alive connection closed under them.
   */
  void holdRequests() {
    if (held.isEmpty()) {
      return;
    }
    Nftables.run(pid, "add element inet " + table + " requests { " + expiring(held) + " }\n");
  }

  /** Lets requests on established connections through again. */
  void releaseRequests() {
    if (table != null && !released) {
      Nftables.run(pid, "flush set inet " + table + " requests\n");
    }
  }

  private boolean hasArrivals(List<TcpSockets.Entry> sockets) {
    for (TcpSockets.Entry e : sockets) {
      if (held.contains(e.localPort())
          && (e.state() == TcpSockets.State.SYN_RECEIVED || e.receiveQueue() > 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Deletes the tables of holds whose cryo died before it could (a killed supervisor): their rules
   * have expired and hold nothing, but would stay listed forever. A table is known by the
   * checkpoint id in its name, which starts with its UTC time.
   */
  private static void removeExpired(int pid) {
    Nftables.Outcome tables = Nftables.run(pid, "list tables inet\n");
    if (!tables.succeeded()) {
      return;
    }
    Instant expired = Instant.now().minus(EXPIRY.multipliedBy(2));
    StringBuilder deletions = new StringBuilder();
    Matcher m = HOLD_TABLE.matcher(tables.output());
    while (m.find()) {
      try {
        Instant created = LocalDateTime.parse(m.group(2), TABLE_TIME).toInstant(ZoneOffset.UTC);
        if (created.isBefore(expired)) {
          deletions.append("delete table inet ").append(m.group(1)).append('\n');
        }
      } catch (DateTimeParseException e) {
        // Not one of ours after all.
      }
    }
    if (deletions.length() > 0) {
      Nftables.run(pid, deletions.toString());
    }
  }

  /** Whether any port is held. */
  boolean isEngaged() {
    return !held.isEmpty();
  }

  /** Lets go of every held port but {@code ports}: the program listens on those others itself. */
  void keepOnly(Set<Integer> ports) {
    Set<Integer> others = new TreeSet<>(held);
    others.removeAll(ports);
    release(others);
  }

  private void releaseListening(List<Integer> tree) {
    Set<Integer> listening = new TreeSet<>(TcpSockets.listeningPorts(tree));
    listening.retainAll(held);
    release(listening);
  }

  /**
   * Waits until the tree rooted at the program listens again on every held port, at most until
   * {@link #LIMIT}, then lets go of everything. A tree that has ended is not waited for.
   */
  @Override
  public void close() {
    if (table == null || released) {
      return;
    }
    released = true;
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!held.isEmpty() && System.nanoTime() < deadline && LinuxProcess.isRunning(pid)) {
      releaseListening(LinuxProcess.of(pid).map(LinuxProcess::tree).orElse(List.of()));
      if (!held.isEmpty()) {
        sleep(POLL);
      }
    }
    if (!held.isEmpty() && LinuxProcess.isRunning(pid)) {
      notices.accept(
          "warning: the program did not listen again on port"
              + (held.size() > 1 ? "s " : " ")
              + join(held)
              + " within "
              + LIMIT.toSeconds()
              + " s of the checkpoint; new connections to "
              + (held.size() > 1 ? "them" : "it")
              + " are no longer held, and are refused until it does");
    }
    held.clear();
    Nftables.Outcome outcome = Nftables.run(pid, "delete table inet " + table + "\n");
    if (!outcome.succeeded() && LinuxProcess.isRunning(pid)) {
      notices.accept(
          "warning: could not remove the packet filter table "
              + table
              + " that held new connections"
              + " (its rule lapses by itself within "
              + EXPIRY.toMinutes()
              + " minutes): "
              + outcome.output());
    }
  }

  private void release(Set<Integer> ports) {
    if (ports.isEmpty()) {
      return;
    }
    // Deleting elements that expired meanwhile fails; the port is let go either way.
    Nftables.run(pid, "delete element inet " + table + " ports { " + join(ports) + " }\n");
    held.removeAll(ports);
  }

  /** Set elements for {@code ports} that the kernel drops by itself after {@link #EXPIRY}. */
  private static String expiring(Set<Integer> ports) {
    return ports.stream()
        .map(p -> p + " timeout " + EXPIRY.toSeconds() + "s")
        .collect(Collectors.joining(", "));
  }

  private static String join(Set<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
