package dev.cryo.node.address;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Stand-ins for ip and arping that log their arguments: {@code ip netns add|del} make and remove a
 * file in a netns directory of the test's own; a command fails when a file named after the
 * subcommand's words says so.
 */
final class FakeTools {
  final Path bin;
  final Path netnsDir;
  final Path log;
  private final Path failures;

  FakeTools(Path dir) throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    netnsDir = Files.createDirectories(dir.resolve("netns"));
    failures = Files.createDirectories(dir.resolve("fail"));
    log = dir.resolve("log");
    Files.createFile(log);
    script(
        "ip",
        """
        echo "ip $*" >> %s
        key=$(echo "$*" | tr ' /' '__')
        for f in %s/*; do
          [ -e "$f" ] || continue
          case "$key" in *"$(basename "$f")"*) cat "$f" >&2; exit 2;; esac
        done
        case "$1 $2" in
          "netns add") touch %s/"$3";;
          "netns del") rm -f %s/"$3";;
          "netns exec") shift 3; exec "$@";;
        esac
        case "$*" in
          "-o -4 addr show dev eth0") echo "2: eth0    inet 198.18.0.1/23 brd 198.18.1.255 scope global eth0";;
          "-4 route show default dev eth0") cat %s/route 2>/dev/null;;
        esac
        exit 0
        """
            .formatted(log, failures, netnsDir, netnsDir, dir));
    script(
        "arping",
        """
        echo "arping $*" >> %s
        if [ -e %s/arping-exit ]; then exit $(cat %s/arping-exit); fi
        exit 0
        """
            .formatted(log, dir, dir));
    script(
        "hook",
        """
        echo "hook $*" >> %s
        if [ -e %s/hook-exit ]; then echo "quota exceeded" >&2; exit $(cat %s/hook-exit); fi
        exit 0
        """
            .formatted(log, dir, dir));
  }

  /** An address literal, never looked up. */
  static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  /** Commands run with these tools first on PATH. */
  HostCommands host() {
    return HostCommands.withPrefix(List.of("env", "PATH=" + bin + ":/usr/bin:/bin"));
  }

  /** The ip subcommand whose words (joined with '_') contain {@code key} fails with {@code err}. */
  void failIp(String key, String err) throws IOException {
    Files.writeString(failures.resolve(key), err + "\n");
  }

  void arpingExits(int code) throws IOException {
    Files.writeString(log.resolveSibling("arping-exit"), Integer.toString(code));
  }

  void hookExits(int code) throws IOException {
    Files.writeString(log.resolveSibling("hook-exit"), Integer.toString(code));
  }

  void defaultRoute(String line) throws IOException {
    Files.writeString(log.resolveSibling("route"), line + "\n");
  }

  List<String> commands() throws IOException {
    return Files.readAllLines(log);
  }

  private void script(String name, String body) throws IOException {
    Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
