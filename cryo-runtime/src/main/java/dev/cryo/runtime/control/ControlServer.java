package dev.cryo.runtime.control;

import dev.cryo.linux.HostFacts;
import dev.cryo.linux.LinuxProcess;
import dev.cryo.linux.PrivateFiles;
import dev.cryo.protocol.ControlPeers;
import dev.cryo.protocol.ControlSocketName;
import dev.cryo.protocol.LineChannel;
import dev.cryo.protocol.Reply;
import dev.cryo.protocol.Request;
import dev.cryo.runtime.Resumption;
import dev.cryo.runtime.config.RuntimeLog;
import dev.cryo.runtime.config.RuntimeSettings;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The process's end of the checkpoint protocol: a unix stream socket, named {@code PID.cryo.sock}
 * ({@link ControlSocketName}) in a private directory, on which {@code cryo} (or anything speaking
 * docs/protocol.md) sends one message per connection and reads one reply. Only the process's own
 * user and root may connect: the directory is 0700 and every peer's credentials are checked.
 */
public final class ControlServer {
  /**
   * How long a connection may take to send its one line: a silent peer must not hold a connection
   * open into a dump.
   */
  private static final Duration READ_LIMIT = Duration.ofSeconds(10);

  /** Both change together when a restored process is told to move its socket ({@link #moveTo}). */
  private volatile Path socketPath;

  private volatile ServerSocketChannel server;
  private final UserPrincipal owner;

  /**
   * Set by {@link #serve} before the accepting thread starts, which publishes it to that thread.
   */
  private CheckpointParticipation participation;

  private ControlServer(Path socketPath, ServerSocketChannel server, UserPrincipal owner) {
    this.socketPath = socketPath;
    this.server = server;
    this.owner = owner;
  }

  /**
   * Binds the control socket. Nothing is answered until {@link #serve}: the socket's path is known
   * first, so that what answers can be built knowing it.
   */
  public static ControlServer open() throws IOException {
    int uid = HostFacts.effectiveUid();
    UserPrincipal owner = LinuxProcess.ownerOfSelf();
    Path directory = RuntimeSettings.controlDirectory(uid);
    requirePrivateDirectory(directory, owner);
    Path socket = socketIn(directory);
    return new ControlServer(socket, bind(socket), owner);
  }

  private static Path socketIn(Path directory) {
    return directory.resolve(ControlSocketName.of(ProcessHandle.current().pid()));
  }

  private static ServerSocketChannel bind(Path socket) throws IOException {
    // A socket file by this name belongs to an earlier process that had this PID.
    Files.deleteIfExists(socket);
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PrivateFiles.FILE);
    return channel;
  }

  /**
   * Moves the control socket to {@code directory}: a restored copy of a process is told to, so that
   * it does not share its socket's path with the original. The old path is left alone; it may
   * belong to the original again by now.
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

  /** Starts answering, on a daemon thread, for {@code participation}. Call once. */
  public void serve(CheckpointParticipation participation) {
    this.participation = participation;
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

  private static void requirePrivateDirectory(Path directory, UserPrincipal owner)
      throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      if (directory.getParent() != null) {
        Files.createDirectories(directory.getParent());
      }
      try {
        Files.createDirectory(directory, PrivateFiles.directoryAttribute());
      } catch (FileAlreadyExistsException raced) {
        // Another JVM made it first; checked below like any existing directory.
      }
    }
    UserPrincipal directoryOwner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> mode =
        Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
    if (!directoryOwner.equals(owner) || Files.isSymbolicLink(directory)) {
      throw new IOException(
          directory
              + " belongs to "
              + directoryOwner.getName()
              + ", not "
              + owner.getName()
              + "; remove it or set -D"
              + RuntimeSettings.CONTROL_DIR);
    }
    if (!mode.equals(PrivateFiles.DIRECTORY)) {
      if (RuntimeSettings.controlDirectoryConfigured()) {
        // A directory the user chose may be shared on purpose: say so rather than change it.
        throw new IOException(
            directory
                + " is open to other users (mode "
                + PosixFilePermissions.toString(mode)
                + "); give -D"
                + RuntimeSettings.CONTROL_DIR
                + " a directory only you can use");
      }
      Files.setPosixFilePermissions(directory, PrivateFiles.DIRECTORY);
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
        LineChannel.writeLine(connection, new Reply.Error(refusal).line());
        return;
      }
      String line = LineChannel.readLine(connection, READ_LIMIT);
      if (line == null) {
        return;
      }
      Request request;
      try {
        request = Request.decode(line);
      } catch (IllegalArgumentException e) {
        LineChannel.writeLine(connection, new Reply.Error(e.getMessage()).line());
        return;
      }
      LineChannel.writeLine(connection, answer(request).line());
      if (request instanceof Request.Restored restored && restored.controlDir() != null) {
        moveQuietly(Path.of(restored.controlDir()));
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
    return "user "
        + peerName
        + " may not control this process (only "
        + owner.getName()
        + " and root may)";
  }

  private void moveQuietly(Path directory) {
    try {
      moveTo(directory);
    } catch (IOException | RuntimeException e) {
      RuntimeLog.warn(
          "could not move the control socket to "
              + directory
              + ": "
              + e.getMessage()
              + "; it stays at "
              + socketPath);
    }
  }

  private Reply answer(Request request) {
    if (request instanceof Request.Pending pending) {
      return participation.onPending(pending.id(), pending.timeout(), pending.checkpointerPid());
    }
    if (request instanceof Request.Restored restored) {
      // Before any resource hears of the restore, so that it can read its new configuration.
      restored.properties().forEach(System::setProperty);
      return participation.onOutcome(restored.id(), Resumption.RESTORED, null);
    }
    if (request instanceof Request.Aborted aborted) {
      return participation.onOutcome(aborted.id(), Resumption.ABORTED, aborted.reason());
    }
    // The one request left: resumed.
    return participation.onOutcome(request.id(), Resumption.RESUMED, null);
  }

  private static void sleepAfterError() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
