package dev.cryo.node.placement;

import dev.cryo.criu.CriuClient;
import dev.cryo.criu.CriuUnavailableException;
import dev.cryo.criu.CriuVersion;
import dev.cryo.linux.HostFacts;
import dev.cryo.linux.MemoryInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Gathers this host's {@link NodeFacts}; collected again whenever the node republishes them. */
public final class NodeFactsCollector {
  /** Where Debian and Ubuntu install JDKs. */
  public static final Path JVM_ROOT = Path.of("/usr/lib/jvm");

  private final String name;
  private final String apiAddress;
  private final Instant startedAt;
  private final Path jvmRoot;
  private final Path javaHome;
  private final Supplier<Optional<CriuVersion>> criu;
  private final FileFingerprints fingerprints;

  NodeFactsCollector(
      String name,
      String apiAddress,
      Instant startedAt,
      Path jvmRoot,
      Path javaHome,
      Supplier<Optional<CriuVersion>> criu,
      FileFingerprints fingerprints) {
    this.name = name;
    this.apiAddress = apiAddress;
    this.startedAt = startedAt;
    this.jvmRoot = jvmRoot;
    this.javaHome = javaHome;
    this.criu = criu;
    this.fingerprints = fingerprints;
  }

  /**
   * The facts of this host: JDKs in /usr/lib/jvm and the running java.home, and the CRIU found on
   * PATH.
   */
  public static NodeFactsCollector forThisHost(
      String name, String apiAddress, Instant startedAt, FileFingerprints fingerprints) {
    return new NodeFactsCollector(
        name,
        apiAddress,
        startedAt,
        JVM_ROOT,
        Path.of(System.getProperty("java.home")),
        NodeFactsCollector::installedCriu,
        fingerprints);
  }

  public NodeFacts collect() {
    MemoryInfo memory = MemoryInfo.read();
    return new NodeFacts(
        name,
        HostFacts.kernel(),
        criu.get().map(CriuVersion::toString).orElse(null),
        HostFacts.cpuModel().orElse(null),
        HostFacts.cpuFlags(),
        memory.totalBytes(),
        memory.availableBytes(),
        Jdks.find(jvmRoot, javaHome, fingerprints),
        apiAddress,
        startedAt.toString());
  }

  /** The version of the CRIU on PATH, if there is one that answers. */
  static Optional<CriuVersion> installedCriu() {
    return CriuClient.findExecutable(System.getenv("PATH"))
        .flatMap(
            binary -> {
              try {
                return Optional.of(new CriuClient(binary).installedVersion());
              } catch (CriuUnavailableException e) {
                return Optional.empty();
              }
            });
  }
}
