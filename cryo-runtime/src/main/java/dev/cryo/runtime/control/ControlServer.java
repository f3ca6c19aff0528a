package dev.cryo.runtime.control;

import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import dev.cryo.runtime.config.RuntimeSettings;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The process's end of the coordination protocol: a unix stream socket, named
 * {@code PID.cryo.sock} in a private directory, on which {@code cryo} (or anything speaking
 * docs/protocol.md) sends one message per connection and reads one reply. Only the process's own
 * user and root may connect: the directory is 0700 and every peer's credentials are checked.
 */
public final class ControlServer {
  /** What marks a control socket, for those who look for one among a process's sockets. */
  public static final String SOCKET_SUFFIX = ".cryo.sock";
  /** How long a connection may take to send its one line: a silent peer must not hold a connection open into a dump. */
  private static final Duration READ_LIMIT = Duration.ofSeconds(10);

  /** Both change together when a restored process is told to move its socket ({@link #moveTo}). */
  private volatile Path socketPath;
  private volatile ServerSocketChannel server;
  private final UserPrincipal owner;
  /** Set by {@link #serve} before the accepting thread starts, which publishes it to that thread. */
  private CheckpointCoordinator coordinator;

  private ControlServer(Path socketPath, ServerSocketChannel server, UserPrincipal owner) {
    this.socketPath = socketPath;
    this.server = server;
    this.owner = owner;
  }

  /**
   * Binds the control socket. Nothing is answered until {@link #serve}: the socket's path is
   * known first, so that what answers can be built knowing it.
   */
  public static ControlServer open() throws IOException {
    Path self = Path.of("/proc/self");
    int uid = (Integer) Files.getAttribute(self, "unix:uid");
    UserPrincipal owner = Files.getOwner(self);
    Path directory = RuntimeSettings.controlDirectory(uid);
    requirePrivateDirectory(directory, owner);
    Path socket = socketIn(directory);
    return new ControlServer(socket, bind(socket), owner);
  }

  private static Path socketIn(Path directory) {
    return directory.resolve(ProcessHandle.current().pid() + SOCKET_SUFFIX);
  }

  private static ServerSocketChannel bind(Path socket) throws IOException {
    // A socket file by this name belongs to an earlier process that had this PID.
    Files.deleteIfExists(socket);
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    return channel;
  }

  /**
   * Moves the control socket to {@code directory}: a restored copy of a process is told to, so
   * that it does not share its socket's path with the original. The old path is left alone; it
   * may belong to the original again by now.
   */
  synchronized void moveTo(Path directory) throws IOException {
    Path target = directory.toAbsolutePath().normalize();
    if (target.equals(socketPath.getParent())) {
      return;
    }
    System.setProperty(RuntimeSettings.CONTROL_DIR, target.toString());
    requirePrivateDirectory(target, owner);
    Path socket = socketIn(target);
    ServerSocketChannel moved = bind(socket);
    ServerSocketChannel old = server;
    server = moved;
    socketPath = socket;
    startAccepting(moved);
    old.close();
    RuntimeLog.info("control socket moved to " + socket);
  }

  /** Starts answering, on a daemon thread, with {@code coordinator}. Call once. */
  public void serve(CheckpointCoordinator coordinator) {
    this.coordinator = coordinator;
    startAccepting(server);
  }

  private void startAccepting(ServerSocketChannel channel) {
    Thread acceptor = new Thread(() -> acceptLoop(channel), "cryo-control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public Path socketPath() {
    return socketPath;
  }

  /** Stops answering and removes the socket file. */
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socketPath);
    } catch (IOException e) {
      RuntimeLog.debug("could not remove " + socketPath + ": " + e.getMessage());
    }
  }

  private static void requirePrivateDirectory(Path directory, UserPrincipal owner) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      if (directory.getParent() != null) {
        Files.createDirectories(directory.getParent());
      }
      try {
        Files.createDirectory(directory, PrivateFiles.ownerOnlyDirectory());
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Another JVM made it first; checked below like any existing directory.
      }
    }
    UserPrincipal directoryOwner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
    if (!directoryOwner.equals(owner) || Files.isSymbolicLink(directory)) {
      throw new IOException(directory + " belongs to " + directoryOwner.getName() + ", not " + owner.getName()
          + "; remove it or set -D" + RuntimeSettings.CONTROL_DIR);
    }
    if (!mode.equals(PosixFilePermissions.fromString("rwx------"))) {
      if (RuntimeSettings.controlDirectoryConfigured()) {
        // A directory the user chose may be shared on purpose: say so rather than change it.
        throw new IOException(directory + " is open to other users (mode " + PosixFilePermissions.toString(mode)
            + "); give -D" + RuntimeSettings.CONTROL_DIR + " a directory only you can use");
      }
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private void acceptLoop(ServerSocketChannel channel) {
    while (channel.isOpen()) {
      try {
        SocketChannel connection = channel.accept();
        Thread handler = new Thread(() -> serve(connection), "cryo-control-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        RuntimeLog.warn("control socket " + socketPath + ": " + e.getMessage());
        sleepAfterError();
      }
    }
  }

  private void serve(SocketChannel connection) {
    try (connection) {
      String refusal = checkPeer(connection);
      if (refusal != null) {
        RuntimeLog.warn("refused a control connection: " + refusal);
        LineChannel.writeLine(connection, Reply.error(refusal).line());
        return;
      }
      String line = LineChannel.readLine(connection, READ_LIMIT);
      if (line == null) {
        return;
      }
      Map<String, Object> message;
      try {
        message = JsonLine.parse(line);
      } catch (IllegalArgumentException e) {
        LineChannel.writeLine(connection, Reply.error(e.getMessage()).line());
        return;
      }
      Reply reply = answer(message);
      LineChannel.writeLine(connection, reply.line());
      if (Phase.RESTORED.equals(message.get("phase")) && message.get("control_dir") instanceof String dir
          && !dir.isBlank()) {
        moveQuietly(Path.of(dir));
      }
    } catch (IOException e) {
      RuntimeLog.debug("control connection ended: " + e.getMessage());
    }
  }

  private String checkPeer(SocketChannel connection) throws IOException {
    UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
    String peerName = peer.user().getName();
    if (ControlPeers.allowed(peer.user(), owner)) {
      return null;
    }
    return "user " + peerName + " may not control this process (only " + owner.getName() + " and root may)";
  }

  private void moveQuietly(Path directory) {
    try {
      moveTo(directory);
    } catch (IOException | RuntimeException e) {
      RuntimeLog.warn("could not move the control socket to " + directory + ": " + e.getMessage()
          + "; it stays at " + socketPath);
    }
  }

  private Reply answer(Map<String, Object> message) {
    Object phase = message.get("phase");
    Object id = message.get("id");
    if (!(id instanceof String checkpointId) || checkpointId.isBlank()) {
      return Reply.error("every message needs a string 'id'");
    }
    if (Phase.PENDING.equals(phase)) {
      long timeoutMillis = message.get("timeout_ms") instanceof Long t && t > 0 ? t : 30_000;
      long coordinatorPid = message.get("coordinator_pid") instanceof Long p ? p : -1;
      return coordinator.onPending(checkpointId, Duration.ofMillis(timeoutMillis), coordinatorPid);
    }
    Resumption resumption = resumptionOf(phase);
    if (resumption == null) {
      return Reply.error("unknown phase " + phase + "; expected pending, resumed, restored or aborted");
    }
    if (resumption == Resumption.RESTORED && message.get("properties") instanceof Map<?, ?> properties) {
      // Before any resource hears of the restore, so that it can read its new configuration.
      properties.forEach((key, value) -> {
        if (value != null) {
          System.setProperty(String.valueOf(key), String.valueOf(value));
        }
      });
    }
    return coordinator.onOutcome(checkpointId, resumption, message.get("reason") instanceof String r ? r : null);
  }

  private static Resumption resumptionOf(Object phase) {
    if (Phase.RESUMED.equals(phase)) {
      return Resumption.RESUMED;
    }
    if (Phase.RESTORED.equals(phase)) {
      return Resumption.RESTORED;
    }
    if (Phase.ABORTED.equals(phase)) {
      return Resumption.ABORTED;
    }
    return null;
  }

  private static void sleepAfterError() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
