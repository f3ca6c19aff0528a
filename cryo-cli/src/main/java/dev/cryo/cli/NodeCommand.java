package dev.cryo.cli;

import dev.cryo.cluster.store.CoordinationStore;
import dev.cryo.cluster.tls.ClusterTls;
import dev.cryo.images.ImageStore;
import dev.cryo.node.NodeApi;
import dev.cryo.node.NodeDaemon;
import dev.cryo.node.NodeSettings;
import dev.cryo.node.address.AddressMover;
import dev.cryo.node.address.HookAddressMover;
import dev.cryo.node.address.ServiceAddresses;
import dev.cryo.node.placement.FileFingerprints;
import dev.cryo.node.placement.NodeFactsCollector;
import dev.cryo.supervisor.RunSpec;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cryo node}: this host's daemon in a cluster. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Run this host's node of a Cryo cluster, in the foreground (docs/cluster.md has a systemd unit).",
      "It joins the cluster with a lease in etcd, runs the programs placed on it (as 'cryo run'",
      "does), publishes their checkpoints to the cluster's repository, and takes over programs of",
      "hosts that are lost. Stopping it leaves its programs running while its lease lasts."
    })
final class NodeCommand implements Callable<Integer> {
  @ParentCommand CryoCommand cryo;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "This node's name in the cluster (default: the CN of its certificate).")
  String name;

  @Option(
      names = "--listen",
      required = true,
      paramLabel = "IP:PORT",
      description = "Where the node serves other hosts (mutual TLS only), e.g. 198.18.0.1:7380.")
  String listen;

  @Option(
      names = "--interface",
      paramLabel = "DEV",
      defaultValue = "eth0",
      description =
          "The network interface service addresses are attached to (default: ${DEFAULT-VALUE}).")
  String networkInterface;

  @Option(
      names = "--address-hook",
      paramLabel = "FILE",
      description =
          "Move service addresses by running this executable instead (routed or cloud networks;"
              + " docs/cluster.md).")
  String addressHook;

  @Option(
      names = "--lease-ttl",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "How long the node's lease lives without renewal (default: ${DEFAULT-VALUE}): a lost host's"
              + " programs move after about this long.")
  String leaseTtl;

  @Option(
      names = "--remote",
      required = true,
      paramLabel = "REMOTE",
      description = "The cluster's remote repository (s3://BUCKET/PREFIX or a shared directory).")
  String remote;

  @Mixin RemoteOptions remoteOptions;

  @Mixin ClusterConnection connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ClusterTls tls = connection.tls();
    String nodeName = name != null ? name : tls.name();
    cryo.requireValid("node", "--name", NodeSettings.invalidNameReason(nodeName));
    if (!nodeName.equals(tls.name())) {
      // A node is who its certificate says: one host cannot take another's name, and its
      // programs, with a certificate of its own.
      throw new ParameterException(
          spec.commandLine(),
          "--name "
              + nodeName
              + " is not the name in this node's certificate ("
              + tls.name()
              + "); issue one with 'cryo cluster issue "
              + nodeName
              + "'");
    }
    Duration ttl =
        DurationOptions.positive(
            spec.commandLine(), "--lease-ttl", leaseTtl, Duration.ofMinutes(5), "5m");
    InetSocketAddress address = listenAddress();
    ImageStore images = cryo.writableStore();
    cryo.criu();
    RunSpec.Remote repository = Remotes.forSupervisor(remote, remoteOptions);
    NodeSettings settings =
        new NodeSettings(nodeName, ttl, cryo.storeRoot().resolve("node"), repository);
    FileFingerprints fingerprints = new FileFingerprints();
    NodeFactsCollector facts =
        NodeFactsCollector.forThisHost(nodeName, listen, Instant.now(), fingerprints);
    AddressMover addresses =
        addressHook != null
            ? new HookAddressMover(Path.of(addressHook))
            : new ServiceAddresses(networkInterface);
    try (CoordinationStore store = connection.store(tls);
        NodeApi api = new NodeApi(address, tls, cryo.runs());
        NodeDaemon node =
            NodeDaemon.create(
                settings,
                store,
                images,
                () -> Remotes.open(repository),
                addresses,
                run -> SupervisorLaunch.start(cryo.storeRoot(), run),
                this::checkpointRun,
                facts::collect,
                fingerprints)) {
      Runtime.getRuntime().addShutdownHook(new Thread(node::close, "cryo-node-shutdown"));
      node.run();
    }
    return ExitCode.OK.code();
  }

  /** A checkpoint of one of this host's runs, taken by {@code cryo checkpoint NAME}. */
  private String checkpointRun(String run) throws IOException {
    Process process =
        new ProcessBuilder(SupervisorLaunch.cryoCommandLine(cryo.storeRoot(), "checkpoint", run))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    // Both streams are read at once: a full stderr pipe would otherwise stall the command.
    CompletableFuture<String> error =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                    .trim();
              } catch (IOException e) {
                return "";
              }
            });
    try {
      String id =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.waitFor() != 0 || id.isEmpty()) {
        String why = error.join();
        throw new IOException(why.isEmpty() ? "cryo checkpoint " + run + " failed" : why);
      }
      return id;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checkpointing " + run);
    }
  }

  /** {@code --listen}: a literal IP address and a port, never a name to resolve. */
  private InetSocketAddress listenAddress() {
    int colon = listen.lastIndexOf(':');
    String host = colon > 0 ? listen.substring(0, colon) : "";
    String port = colon > 0 ? listen.substring(colon + 1) : "";
    if (!port.matches("\\d{1,5}")
        || Integer.parseInt(port) > 65535
        || !host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
      throw new ParameterException(
          spec.commandLine(), "--listen must be IP:PORT, such as 198.18.0.1:7380, not " + listen);
    }
    return new InetSocketAddress(host.replace("[", "").replace("]", ""), Integer.parseInt(port));
  }
}
