package dev.cryo.protocol;

import java.nio.file.Path;

/**
 * How a control socket is named, which is how cryo recognises one among a process's sockets: its
 * file name is {@code PID.cryo.sock}, PID being the process's own as it sees it (in its own PID
 * namespace). The PID keeps a child that inherited its parent's socket across a fork from being
 * taken for the parent. The directory is the process's choice.
 */
public final class ControlSocketName {
  /** What ends every control socket's file name. */
  public static final String SUFFIX = ".cryo.sock";

  private ControlSocketName() {}

  /** The file name of the control socket of the process that calls itself {@code pid}. */
  public static String of(long pid) {
    return pid + SUFFIX;
  }

  /** Whether {@code socket} is an absolute path named as the control socket of {@code pid}. */
  public static boolean isOf(String socket, long pid) {
    if (!socket.startsWith("/")) {
      return false;
    }
    Path name = Path.of(socket).getFileName();
    return name != null && name.toString().equals(of(pid));
  }
}
