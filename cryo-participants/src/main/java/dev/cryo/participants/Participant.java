package dev.cryo.participants;

import dev.cryo.runtime.control.ControlPeers;
import dev.cryo.runtime.control.JsonLine;
import dev.cryo.runtime.control.LineChannel;
import dev.cryo.runtime.control.Phase;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process taking part in a checkpoint, seen from cryo: {@link #prepare} sends {@code pending}
 * and returns once the process is ready and has closed the connection (no connection may be open
 * during the dump); {@link #tell} sends how the checkpoint ended and returns what the process's
 * resources reported. Each message has a connection of its own.
 */
public final class Participant {
  /** Extra time, beyond the process's own deadline, for its answer to arrive. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);
  /** How long a resumed or restored process may take to report that its resources are running again. */
  private static final Duration RESUME_LIMIT = Duration.ofMinutes(2);

  private final int pid;
  private final Path socket;

  public Participant(int pid, Path socket) {
    this.pid = pid;
    this.socket = socket;
  }

  public int pid() {
    return pid;
  }

  public Path socket() {
    return socket;
  }

  /** What a process said when it got ready: warnings about what may not survive a restore. */
  public record Readiness(List<String> warnings, String runtime) {
  }

  public Readiness prepare(String checkpointId, Duration timeout) throws ParticipantException {
    Map<String, Object> pending = message(Phase.PENDING, checkpointId);
    pending.put("timeout_ms", timeout.toMillis());
    pending.put("coordinator_pid", ProcessHandle.current().pid());
    try (SocketChannel channel = connect()) {
      LineChannel.writeLine(channel, JsonLine.write(pending));
      Map<String, Object> answer = read(channel, timeout.plus(ANSWER_GRACE), "its answer to pending");
      Object phase = answer.get("phase");
      if (Phase.REFUSED.equals(phase)) {
        throw new CheckpointRefusedException(pid, text(answer.get("resource")), text(answer.get("reason")));
      }
      if (!Phase.READY.equals(phase)) {
        throw unexpected(answer, "ready or refused");
      }
      if (!LineChannel.awaitEnd(channel, ANSWER_GRACE)) {
        throw new ConnectionLeftOpenException("PID " + pid + " answered ready but kept its control connection open; "
            + "a process must close it before the dump (docs/protocol.md)");
      }
      return new Readiness(strings(answer.get("warnings")), text(answer.get("runtime")));
    } catch (IOException e) {
      throw new ParticipantException("could not reach the control socket of PID " + pid + " (" + socket + "): "
          + e.getMessage() + "; to checkpoint it without telling it, use --plain", e);
    }
  }

  /**
   * Tells the process how the checkpoint ended ({@code resumed}, {@code restored} or
   * {@code aborted}) and returns the errors its resources reported while resuming.
   */
  public List<String> tell(String checkpointId, String phase, String reason) throws ParticipantException {
    return tell(checkpointId, phase, reason, Map.of());
  }

  /**
   * Like {@link #tell(String, String, String)}, with more fields for the message: a restored
   * process may be given {@code properties} to apply and a {@code control_dir} to move its control
   * socket to (docs/protocol.md).
   */
  public List<String> tell(String checkpointId, String phase, String reason, Map<String, ?> fields)
      throws ParticipantException {
    Map<String, Object> outcome = message(phase, checkpointId);
    if (reason != null) {
      outcome.put("reason", reason);
    }
    outcome.putAll(fields);
    try (SocketChannel channel = connect()) {
      LineChannel.writeLine(channel, JsonLine.write(outcome));
      Map<String, Object> answer = read(channel, RESUME_LIMIT, "its answer to " + phase);
      if (!Phase.DONE.equals(answer.get("phase"))) {
        throw unexpected(answer, "done");
      }
      return strings(answer.get("errors"));
    } catch (IOException e) {
      throw new ParticipantException("could not tell PID " + pid + " that the checkpoint was " + phase + ": " + e.getMessage(), e);
    }
  }

  private SocketChannel connect() throws IOException, ParticipantException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      requireListenerIsTheProcesssUser(channel);
      return channel;
    } catch (IOException | ParticipantException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The listener's credentials (recorded by the kernel when it started listening) must be the
   * process's user or root: otherwise someone else has put a socket at that path.
   */
  private void requireListenerIsTheProcesssUser(SocketChannel channel) throws IOException, ParticipantException {
    java.nio.file.attribute.UserPrincipal listener = channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
    java.nio.file.attribute.UserPrincipal owner;
    try {
      owner = java.nio.file.Files.getOwner(Path.of("/proc", Integer.toString(pid)));
    } catch (IOException e) {
      return; // the process is gone; nothing to protect
    }
    if (!ControlPeers.allowed(listener, owner)) {
      throw new ParticipantException("the control socket " + socket + " is held by user " + listener.getName()
          + ", not by PID " + pid + "'s user " + owner.getName() + "; not talking to it (checkpoint with --plain, "
          + "or remove the socket)");
    }
  }

  private Map<String, Object> read(SocketChannel channel, Duration limit, String what) throws IOException, ParticipantException {
    long start = System.nanoTime();
    String line = LineChannel.readLine(channel, limit);
    if (line == null) {
      boolean closed = System.nanoTime() - start < limit.toNanos();
      throw new ParticipantException("PID " + pid + (closed ? " closed its control connection without sending " + what
          + " (did it exit?)" : " did not send " + what + " within " + limit.toSeconds() + " s"));
    }
    try {
      return JsonLine.parse(line);
    } catch (IllegalArgumentException e) {
      throw new ParticipantException("PID " + pid + " sent " + e.getMessage());
    }
  }

  private ParticipantException unexpected(Map<String, Object> answer, String expected) {
    if (Phase.ERROR.equals(answer.get("phase"))) {
      return new ParticipantException("PID " + pid + " rejected the request: " + text(answer.get("reason")));
    }
    return new ParticipantException("PID " + pid + " answered '" + answer.get("phase") + "' where the protocol expects " + expected);
  }

  private static Map<String, Object> message(String phase, String checkpointId) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("phase", phase);
    message.put("id", checkpointId);
    return message;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static List<String> strings(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }
}
