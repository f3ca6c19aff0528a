package dev.cryo.participants;

import dev.cryo.linux.LinuxProcess;
import dev.cryo.protocol.ControlPeers;
import dev.cryo.protocol.LineChannel;
import dev.cryo.protocol.Reply;
import dev.cryo.protocol.Request;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import jdk.net.ExtendedSocketOptions;

/**
 * One process taking part in a checkpoint, seen from cryo: {@link #prepare} sends {@code pending}
 * and returns once the process is ready and has closed the connection (no connection may be open
 * during the dump); {@link #tell} sends how the checkpoint ended and returns what the process's
 * resources reported. Each message has a connection of its own.
 */
public final class Participant {
  /** Extra time, beyond the process's own deadline, for its answer to arrive. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

  /**
   * How long a resumed or restored process may take to report that its resources are running again.
   */
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
  public record Readiness(List<String> warnings, String runtime) {}

  public Readiness prepare(String checkpointId, Duration timeout) throws ParticipantException {
    Request.Pending pending =
        new Request.Pending(checkpointId, timeout, ProcessHandle.current().pid());
    try (SocketChannel channel = connect()) {
      LineChannel.writeLine(channel, pending.line());
      Reply answer = read(channel, timeout.plus(ANSWER_GRACE), "its answer to pending");
      if (answer instanceof Reply.Refused refused) {
        throw new CheckpointRefusedException(pid, refused.resource(), refused.reason());
      }
      if (!(answer instanceof Reply.Ready ready)) {
        throw unexpected(answer, "ready or refused");
      }
      if (!LineChannel.awaitEnd(channel, ANSWER_GRACE)) {
        throw new ConnectionLeftOpenException(
            "PID "
                + pid
                + " answered ready but kept its control connection open; "
                + "a process must close it before the dump (docs/protocol.md)");
      }
      return new Readiness(ready.warnings(), ready.runtime());
    } catch (IOException e) {
      throw new UnreachableParticipantException(
          "could not reach the control socket of PID "
              + pid
              + " ("
              + socket
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Tells the process how the checkpoint ended ({@code resumed}, {@code restored} or {@code
   * aborted}) and returns the errors its resources reported while resuming.
   */
  public List<String> tell(Request.Outcome outcome) throws ParticipantException {
    String phase = outcome.phase().wireName();
    try (SocketChannel channel = connect()) {
      LineChannel.writeLine(channel, outcome.line());
      Reply answer = read(channel, RESUME_LIMIT, "its answer to " + phase);
      if (!(answer instanceof Reply.Done done)) {
        throw unexpected(answer, "done");
      }
      return done.errors();
    } catch (IOException e) {
      throw new ParticipantException(
          "could not tell PID " + pid + " that the checkpoint was " + phase + ": " + e.getMessage(),
          e);
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
  private void requireListenerIsTheProcesssUser(SocketChannel channel)
      throws IOException, ParticipantException {
    UserPrincipal listener = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
    UserPrincipal owner;
    try {
      owner = LinuxProcess.ownerOf(pid);
    } catch (IOException e) {
      return; // the process is gone; nothing to protect
    }
    if (!ControlPeers.allowed(listener, owner)) {
      throw new UnreachableParticipantException(
          "the control socket "
              + socket
              + " is held by user "
              + listener.getName()
              + ", not by PID "
              + pid
              + "'s user "
              + owner.getName()
              + "; not talking to it (remove the socket if nothing of that process's should hold it)");
    }
  }

  private Reply read(SocketChannel channel, Duration limit, String what)
      throws IOException, ParticipantException {
    long start = System.nanoTime();
    String line = LineChannel.readLine(channel, limit);
    if (line == null) {
      boolean closed = System.nanoTime() - start < limit.toNanos();
      throw new ParticipantException(
          "PID "
              + pid
              + (closed
                  ? " closed its control connection without sending " + what + " (did it exit?)"
                  : " did not send " + what + " within " + limit.toSeconds() + " s"));
    }
    try {
      return Reply.decode(line);
    } catch (IllegalArgumentException e) {
      throw new ParticipantException("PID " + pid + " sent " + e.getMessage());
    }
  }

  private ParticipantException unexpected(Reply answer, String expected) {
    if (answer instanceof Reply.Error error) {
      return new ParticipantException("PID " + pid + " rejected the request: " + error.reason());
    }
    return new ParticipantException(
        "PID "
            + pid
            + " answered '"
            + answer.phaseName()
            + "' where the protocol expects "
            + expected);
  }
}
