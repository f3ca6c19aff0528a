package dev.cryo.node.address;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The named network namespaces ({@code ip netns}) programs with a service address run in: one per
 * program, {@code cryo-PROGRAM}, in /run/netns.
 */
final class ProgramNamespaces {
  static final Path NETNS_DIR = Path.of("/run/netns");
  static final String PREFIX = "cryo-";

  /** Longer names are cut and given a hash: a shorter name is easier to read in `ip netns`. */
  static final int MAX_NAME = 63;

  private static final Pattern PROGRAM = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final HostCommands host;
  private final Path netnsDir;

  ProgramNamespaces(HostCommands host, Path netnsDir) {
    this.host = host;
    this.netnsDir = netnsDir;
  }

  /**
   * The namespace name of {@code program}: {@code cryo-PROGRAM}, or for a long name its start and
   * 12 hex digits of its SHA-256, which keep two long names apart.
   *
   * @throws IllegalArgumentException when {@code program} is not a program name
   */
  static String name(String program) {
    if (program == null || !PROGRAM.matcher(program).matches()) {
      throw new IllegalArgumentException(
          "'"
              + program
              + "' is not a program name: use lower-case letters, digits, '.', '_' and '-',"
              + " starting with a letter or digit");
    }
    String name = PREFIX + program;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = HexFormat.of().formatHex(sha256(program)).substring(0, 12);
    return name.substring(0, MAX_NAME - 13) + "-" + hash;
  }

  Path path(String name) {
    return netnsDir.resolve(name);
  }

  boolean exists(String name) {
    return Files.exists(path(name));
  }

  /** Adds the namespace {@code name} with its loopback up. */
  void add(String name) throws AddressException {
    if (exists(name)) {
      throw new AddressException(
          "the network namespace "
              + name
              + " exists already: its program holds an address here; release it first");
    }
    host.check("creating the network namespace " + name, List.of("ip", "netns", "add", name));
    try {
      host.check("setting lo up in " + name, List.of("ip", "-n", name, "link", "set", "lo", "up"));
    } catch (AddressException e) {
      deleteQuietly(name);
      throw e;
    }
  }

  /** Deletes the namespace {@code name}, with every link in it; nothing if it is not there. */
  void delete(String name) throws AddressException {
    if (exists(name)) {
      host.check("deleting the network namespace " + name, List.of("ip", "netns", "del", name));
    }
  }

  void deleteQuietly(String name) {
    try {
      delete(name);
    } catch (AddressException e) {
      // the first failure is the one to report
    }
  }

  /** The cryo-* namespaces present, sorted. */
  List<String> held() throws AddressException {
    if (!Files.isDirectory(netnsDir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(netnsDir)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(PREFIX))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new AddressException("cannot list " + netnsDir + ": " + e.getMessage(), e);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
