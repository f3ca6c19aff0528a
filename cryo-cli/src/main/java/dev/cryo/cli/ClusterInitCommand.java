package dev.cryo.cli;

import dev.cryo.cluster.pki.ClusterAuthority;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cryo cluster init}: a new certificate authority for a cluster. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create the cluster's certificate authority in DIR: ca.pem (give it to every host) and"
          + " ca-key.pem (0600; keep it where certificates are issued, and nowhere else).",
      "Refuses (exit 8) if DIR holds a CA already."
    })
final class ClusterInitCommand implements Callable<Integer> {
  @ParentCommand ClusterCommand cluster;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory of the CA (made, mode 0700, if missing).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    var err = cluster.cryo.spec.commandLine().getErr();
    ClusterAuthority authority = ClusterAuthority.create(dir);
    err.println("created cluster CA " + authority.certificateFile().toAbsolutePath());
    err.println(
        "its key is in "
            + authority.directory().resolve(ClusterAuthority.KEY_FILE).toAbsolutePath()
            + "; whoever holds it can issue certificates the cluster trusts: keep it private");
    return ExitCode.OK.code();
  }
}
