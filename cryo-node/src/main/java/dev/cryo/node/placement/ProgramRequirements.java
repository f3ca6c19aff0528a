package dev.cryo.node.placement;

import dev.cryo.criu.CriuVersion;
import dev.cryo.linux.Executables;
import dev.cryo.linux.HostFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a host must have to restore a program's checkpoints, worked out where the program is
 * submitted (JSON in its cluster spec): the files its process maps or keeps open, byte for byte at
 * the same paths, a CPU with at least the submitting host's features, and a CRIU at least as new.
 *
 * @param files path (symbolic links resolved) to the SHA-256 of its content
 * @param cpuFlags the CPU feature flags of the submitting host
 * @param criuVersion the submitting host's CRIU ("4.2.0"), or null if it has none
 */
public record ProgramRequirements(
    SortedMap<String, String> files, List<String> cpuFlags, String criuVersion) {
  public ProgramRequirements {
    files = files == null ? new TreeMap<>() : new TreeMap<>(files);
    cpuFlags = cpuFlags == null ? List.of() : List.copyOf(cpuFlags);
  }

  /** The requirements of {@code command}, run from this process's working directory. */
  public static ProgramRequirements of(
      List<String> command, Map<String, String> env, FileFingerprints fingerprints)
      throws IOException {
    return of(command, Path.of("").toAbsolutePath(), env, fingerprints);
  }

  /**
   * The requirements of {@code command} run in {@code cwd} with {@code env}: its executable, found
   * through {@code PATH} in {@code env}; for a JVM also its JDK's launcher, libjvm.so, lib/modules
   * and CDS archive, and the jars its command line names; this host's CPU flags and CRIU version.
   *
   * @throws NoSuchFileException when the executable cannot be found
   */
  public static ProgramRequirements of(
      List<String> command, Path cwd, Map<String, String> env, FileFingerprints fingerprints)
      throws IOException {
    return of(
        command,
        cwd,
        env,
        fingerprints,
        HostFacts.cpuFlags(),
        NodeFactsCollector.installedCriu().orElse(null));
  }

  static ProgramRequirements of(
      List<String> command,
      Path cwd,
      Map<String, String> env,
      FileFingerprints fingerprints,
      List<String> cpuFlags,
      CriuVersion criu)
      throws IOException {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("an empty command has no requirements");
    }
    Path executable = executable(command.get(0), cwd, env).toRealPath();
    Set<Path> files = new LinkedHashSet<>();
    files.add(executable);
    Optional<Path> jdk = Jdks.homeOfLauncher(executable);
    if (jdk.isPresent()) {
      Path home = jdk.get();
      for (String file : List.of(Jdks.LIBJVM, Jdks.MODULES, Jdks.CDS_ARCHIVE)) {
        if (Files.isRegularFile(home.resolve(file))) {
          files.add(home.resolve(file).toRealPath());
        }
      }
      for (Path file : JvmCommandLine.files(command.subList(1, command.size()), cwd, env)) {
        files.add(file.toRealPath());
      }
    }
    SortedMap<String, String> fingerprinted = new TreeMap<>();
    for (Path file : new ArrayList<>(files)) {
      fingerprinted.put(file.toString(), fingerprints.sha256(file));
    }
    return new ProgramRequirements(fingerprinted, cpuFlags, criu == null ? null : criu.toString());
  }

  private static Path executable(String name, Path cwd, Map<String, String> env)
      throws NoSuchFileException {
    if (name.contains("/")) {
      Path path = cwd.resolve(name);
      if (Files.isRegularFile(path)) {
        return path;
      }
      throw new NoSuchFileException(path.toString(), null, "no such program");
    }
    return Executables.find(name, env.get("PATH"))
        .orElseThrow(
            () ->
                new NoSuchFileException(
                    name, null, "not found on PATH " + env.getOrDefault("PATH", "(unset)")));
  }
}
