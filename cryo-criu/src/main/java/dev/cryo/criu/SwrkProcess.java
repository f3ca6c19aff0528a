package dev.cryo.criu;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code criu swrk} child serving one request over a SOCK_SEQPACKET socket pair.
 *
 * <p>{@link ProcessBuilder} cannot hand a descriptor to a child, so the child is started with
 * posix_spawn: its end of the pair becomes descriptor 3, stdin is /dev/null, and stdout and stderr
 * go to a private file that is read only to explain a failure.
 */
final class SwrkProcess implements Closeable {
  private static final int CHILD_SOCKET_FD = 3;

  /** Where files handed to CRIU for {@code inherit_fd} start, after the socket. */
  static final int FIRST_INHERITED_FD = CHILD_SOCKET_FD + 1;

  private final int pid;
  private final SeqpacketChannel channel;
  private final Path output;
  private Integer exitStatus;

  private SwrkProcess(int pid, SeqpacketChannel channel, Path output) {
    this.pid = pid;
    this.channel = channel;
    this.output = output;
  }

  static SwrkProcess start(Path criu) throws IOException {
    return start(criu, List.of());
  }

  /**
   * A file handed to criu for the request's {@code inherit_fd}.
   *
   * @param readOnly opened for reading (a namespace file, say); otherwise for appending, created
   *     0600 if missing (a log file that replaces the one a restored process had open)
   */
  record Inherited(Path file, boolean readOnly) {
    int flags() {
      return readOnly ? LibC.O_RDONLY : LibC.O_WRONLY | LibC.O_APPEND | LibC.O_CREAT;
    }
  }

  /**
   * Starts {@code criu swrk} with {@code inherited} files open as descriptors 4, 5 and so on, for
   * the request's {@code inherit_fd}.
   */
  static SwrkProcess start(Path criu, List<Inherited> inherited) throws IOException {
    Path output =
        Files.createTempFile(
            "cryo-criu-",
            ".out",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    SeqpacketChannel[] pair = SeqpacketChannel.pair();
    SeqpacketChannel ours = pair[0];
    SeqpacketChannel theirs = pair[1];
    int childEnd = theirs.fd();
    // dup2 onto the same number would keep close-on-exec set: move it away from 3 first.
    int extraFd = -1;
    if (childEnd == CHILD_SOCKET_FD) {
      extraFd = LibC.INSTANCE.dup(childEnd);
      childEnd = extraFd;
    }
    Memory actions = new Memory(LibC.SPAWN_FILE_ACTIONS_SIZE);
    actions.clear();
    LibC libc = LibC.INSTANCE;
    try {
      check(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
      try {
        check(
            libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", LibC.O_RDONLY, 0),
            "addopen stdin");
        check(
            libc.posix_spawn_file_actions_addopen(
                actions, 1, output.toString(), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC, 0600),
            "addopen stdout");
        check(libc.posix_spawn_file_actions_adddup2(actions, 1, 2), "adddup2 stderr");
        check(
            libc.posix_spawn_file_actions_adddup2(actions, childEnd, CHILD_SOCKET_FD),
            "adddup2 socket");
        closeTheRest(libc, actions);
        for (int i = 0; i < inherited.size(); i++) {
          check(
              libc.posix_spawn_file_actions_addopen(
                  actions,
                  FIRST_INHERITED_FD + i,
                  inherited.get(i).file().toString(),
                  inherited.get(i).flags(),
                  0600),
              "addopen " + inherited.get(i).file());
        }
        IntByReference pid = new IntByReference();
        String[] argv = {criu.toString(), "swrk", Integer.toString(CHILD_SOCKET_FD)};
        int error =
            libc.posix_spawn(
                pid,
                criu.toString(),
                actions,
                null,
                new StringArray(argv),
                new StringArray(environment()));
        if (error != 0) {
          throw new IOException("cannot start " + criu + ": errno " + error);
        }
        return new SwrkProcess(pid.getValue(), ours, output);
      } finally {
        libc.posix_spawn_file_actions_destroy(actions);
      }
    } catch (IOException | RuntimeException e) {
      ours.close();
      Files.deleteIfExists(output);
      throw e;
    } finally {
      theirs.close();
      if (extraFd >= 0) {
        libc.close(extraFd);
      }
    }
  }

  /** Keeps the JVM's own descriptors (jars, sockets) out of criu where glibc can do that. */
  private static void closeTheRest(LibC libc, Memory actions) {
    try {
      libc.posix_spawn_file_actions_addclosefrom_np(actions, CHILD_SOCKET_FD + 1);
    } catch (UnsatisfiedLinkError olderGlibc) {
      // Descriptors the JVM opened without close-on-exec then reach criu, which does not use them.
    }
  }

  private static void check(int result, String what) throws IOException {
    if (result != 0) {
      throw new IOException(what + " failed: errno " + result);
    }
  }

  private static String[] environment() {
    Map<String, String> env = System.getenv();
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  void send(byte[] message) throws IOException {
    channel.send(message);
  }

  /** The next message from criu, or empty if criu closed the connection (exited). */
  Optional<byte[]> receive() throws IOException {
    return channel.receive();
  }

  /** What criu wrote to stdout and stderr, for error reports. */
  List<String> outputLines() {
    try {
      return Files.readAllLines(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Waits for criu to exit and returns its raw wait status. */
  int waitForExit() {
    if (exitStatus == null) {
      IntByReference status = new IntByReference();
      while (true) {
        try {
          LibC.INSTANCE.waitpid(pid, status, 0);
          exitStatus = status.getValue();
          break;
        } catch (LastErrorException e) {
          if (e.getErrorCode() != LibC.EINTR) {
            exitStatus = -1;
            break;
          }
        }
      }
    }
    return exitStatus;
  }

  static String describeWaitStatus(int status) {
    if (status == -1) {
      return "unknown status";
    }
    int signal = status & 0x7f;
    return signal == 0 ? "exit code " + ((status >> 8) & 0xff) : "killed by signal " + signal;
  }

  /** Closes the connection, which tells criu to finish, then reaps it. */
  @Override
  public void close() {
    channel.close();
    waitForExit();
    try {
      Files.deleteIfExists(output);
    } catch (IOException ignored) {
      // A temporary file in a private mode; losing track of it is harmless.
    }
  }
}
