package dev.cryo.criu;

import com.sun.jna.LastErrorException;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One end of a SOCK_SEQPACKET socket pair: each send is one message and each receive returns one
 * whole message, which is how CRIU frames its RPC. The JDK's unix-domain channels offer stream
 * sockets only, hence this small native wrapper.
 */
final class SeqpacketChannel implements Closeable {
  private final int fd;
  private boolean closed;

  private SeqpacketChannel(int fd) {
    this.fd = fd;
  }

  /** A connected pair; both descriptors are close-on-exec. */
  static SeqpacketChannel[] pair() throws IOException {
    int[] fds = new int[2];
    try {
      LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0, fds);
    } catch (LastErrorException e) {
      throw new IOException(
          "socketpair(AF_UNIX, SOCK_SEQPACKET) failed: errno " + e.getErrorCode(), e);
    }
    return new SeqpacketChannel[] {new SeqpacketChannel(fds[0]), new SeqpacketChannel(fds[1])};
  }

  int fd() {
    return fd;
  }

  void send(byte[] message) throws IOException {
    long sent =
        retryOnInterrupt(
            "send", () -> LibC.INSTANCE.send(fd, message, message.length, LibC.MSG_NOSIGNAL));
    if (sent != message.length) {
      throw new IOException("short send on a message socket: " + sent + " of " + message.length);
    }
  }

  /** The next whole message, or empty once the peer has closed its end. */
  Optional<byte[]> receive() throws IOException {
    byte[] probe = new byte[1];
    long size =
        retryOnInterrupt(
            "recv", () -> LibC.INSTANCE.recv(fd, probe, 1, LibC.MSG_PEEK | LibC.MSG_TRUNC));
    if (size == 0) {
      return Optional.empty();
    }
    byte[] buffer = new byte[(int) size];
    long read = retryOnInterrupt("recv", () -> LibC.INSTANCE.recv(fd, buffer, buffer.length, 0));
    return Optional.of(read == buffer.length ? buffer : Arrays.copyOf(buffer, (int) read));
  }

  private interface NativeCall {
    long call();
  }

  private static long retryOnInterrupt(String what, NativeCall call) throws IOException {
    while (true) {
      try {
        return call.call();
      } catch (LastErrorException e) {
        if (e.getErrorCode() != LibC.EINTR) {
          throw new IOException(what + " failed: errno " + e.getErrorCode(), e);
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        LibC.INSTANCE.close(fd);
      } catch (LastErrorException ignored) {
        // Nothing useful to do: the descriptor is gone either way.
      }
    }
  }
}
