package dev.cryo.criu;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls the JDK does not offer: SOCK_SEQPACKET socket pairs, and spawning a child that
 * inherits one end of such a pair. Linux on 64-bit platforms only (size_t is a Java long).
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_UNIX = 1;
  int SOCK_SEQPACKET = 5;
  int SOCK_CLOEXEC = 0x80000;
  int O_RDONLY = 0;
  int O_WRONLY = 1;
  int O_CREAT = 0x40;
  int O_TRUNC = 0x200;
  int O_APPEND = 0x400;
  int O_DIRECTORY = 0x10000;
  int O_CLOEXEC = 0x80000;
  int MSG_PEEK = 0x2;
  int MSG_TRUNC = 0x20;
  int MSG_NOSIGNAL = 0x4000;
  int EINTR = 4;
  int ENOSYS = 38;

  /** Size of glibc's posix_spawn_file_actions_t on 64-bit Linux is 80; this leaves room. */
  int SPAWN_FILE_ACTIONS_SIZE = 256;

  int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

  int open(String path, int flags, int mode) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int dup(int fd) throws LastErrorException;

  long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

  int kill(int pid, int signal) throws LastErrorException;

  /** Returns an error number rather than setting errno. */
  int posix_spawn(
      IntByReference pid,
      String path,
      Pointer fileActions,
      Pointer attributes,
      StringArray argv,
      StringArray envp);

  int posix_spawn_file_actions_init(Pointer fileActions);

  int posix_spawn_file_actions_destroy(Pointer fileActions);

  int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

  int posix_spawn_file_actions_addopen(
      Pointer fileActions, int fd, String path, int flags, int mode);

  /** glibc 2.34 and later. */
  int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd);
}
