package dev.cryo.cli;

import dev.cryo.cluster.pki.ClusterAuthority;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cryo cluster issue}: a certificate and key for one host, etcd member or client. */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description = {
      "Issue NAME a certificate from the cluster's CA in DIR, for servers and clients alike:"
          + " DIR/NAME.pem and DIR/NAME-key.pem (0600), replacing earlier ones.",
      "It names NAME (CN), the --ip addresses and --dns names given, and always 127.0.0.1 and"
          + " localhost; it is valid for two years."
    })
final class ClusterIssueCommand implements Callable<Integer> {
  @ParentCommand ClusterCommand cluster;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "Who the certificate is for: lower-case letters, digits, '.' and '-'.")
  String name;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory of the CA ('cryo cluster init').")
  Path dir;

  @Option(
      names = "--ip",
      paramLabel = "IP",
      description = "An IP address the holder serves on (repeatable).")
  List<String> ips = new ArrayList<>();

  @Option(
      names = "--dns",
      paramLabel = "NAME",
      description = "A DNS name the holder serves under (repeatable).")
  List<String> dnsNames = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    String invalid = ClusterAuthority.invalidNameReason(name);
    if (invalid != null) {
      throw cluster.usageError("issue", "NAME: " + invalid);
    }
    ClusterAuthority authority = ClusterAuthority.open(dir);
    Path[] files;
    try {
      files = authority.issue(name, ips, dnsNames);
    } catch (IllegalArgumentException e) {
      throw cluster.usageError("issue", e.getMessage());
    }
    var err = cluster.cryo.spec.commandLine().getErr();
    err.println("issued " + name + " " + files[0].toAbsolutePath());
    err.println("its key is in " + files[1].toAbsolutePath());
    return ExitCode.OK.code();
  }
}
